import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pathnameOf, sendText } from '@ticketing/kit/graphql';
import { type GraphQLSchema, printSchema } from 'graphql';

/** Where the public SDL is served, beside the endpoint. */
export const SCHEMA_PATH = '/graphql/schema.graphql';

export interface ExplorerRoutesOptions {
  /** GraphiQL for a browser's GET of /graphql (EXPLORER). The SDL is served either way. */
  explorer: boolean;
  /** The API schema the gateway serves (the supergraph without federation's internals). */
  schema: () => GraphQLSchema | undefined;
}

interface Asset {
  raw: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * What the gateway serves to people rather than programs: GraphiQL on a browser's GET of /graphql
 * (bundled with its editor and workers from @graphql-yoga/render-graphiql: nothing is fetched from
 * a CDN, so it works offline and behind a strict egress policy), and the public SDL at
 * /graphql/schema.graphql, which stays readable when introspection is off. Returns a listener that
 * answers those requests and returns false for every other one.
 */
export function explorerRoutes(options: ExplorerRoutesOptions) {
  let page: Promise<Asset> | undefined;
  const sdl = new WeakMap<GraphQLSchema, Promise<Asset>>();
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = pathnameOf(req.url);
    if (path === SCHEMA_PATH) {
      const schema = options.schema();
      if (!schema) {
        sendText(res, 503, 'The schema is not loaded yet; try again shortly');
        return true;
      }
      let asset = sdl.get(schema);
      if (!asset) {
        asset = prepare(printSchema(schema));
        sdl.set(schema, asset);
      }
      void serve(req, res, asset, 'text/plain; charset=utf-8', {
        // Public and the same for everyone: any site may read it.
        'access-control-allow-origin': '*',
      });
      return true;
    }
    if ((path !== '/graphql' && path !== '/graphql/') || !wantsPage(req)) return false;
    if (!options.explorer) {
      sendText(
        res,
        404,
        `The explorer is off on this server (EXPLORER=false). The schema is at ${SCHEMA_PATH}; send queries with POST.`,
      );
      return true;
    }
    page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      prepare(
        renderGraphiQL({
          title: 'Ticketing API',
          endpoint: '/graphql',
          subscriptionsProtocol: 'WS',
          // The session cookie of the web app on this host is sent; an API key goes in the headers.
          credentials: 'same-origin',
          defaultQuery: DEFAULT_QUERY,
          inputValueDeprecation: true,
        }),
      ),
    );
    void serve(req, res, page, 'text/html; charset=utf-8', {});
    return true;
  };
}

const DEFAULT_QUERY = `# Ticketing API. The schema as SDL: /graphql/schema.graphql
# Signed in to the web app on this host, your session is used; with an API key, add the header
# {"Authorization": "Bearer <secret>"} below.
query Tickets {
  tickets(first: 5) {
    edges {
      node {
        id
        title
      }
    }
  }
}
`;

/**
 * A browser navigating to /graphql: a GET asking for HTML and not carrying an operation (a GET
 * with `?query=` is GraphQL over HTTP, whatever it accepts).
 */
function wantsPage(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  if (!/\btext\/html\b/i.test(accept)) return false;
  return !new URLSearchParams(req.url?.split('?')[1] ?? '').has('query');
}

async function prepare(body: string): Promise<Asset> {
  const raw = Buffer.from(body);
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
  return { raw, gzipped: await promisify(gzip)(raw), etag };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  asset: Promise<Asset>,
  contentType: string,
  headers: Record<string, string>,
): Promise<void> {
  let ready: Asset;
  try {
    ready = await asset;
  } catch {
    if (!res.headersSent) sendText(res, 500, 'Internal server error');
    return;
  }
  const common = {
    ...headers,
    etag: ready.etag,
    // Revalidated on every use (a new deploy may change it); the ETag makes that a 304.
    'cache-control': 'no-cache',
    vary: 'Accept, Accept-Encoding',
  };
  if (req.headers['if-none-match'] === ready.etag) {
    res.writeHead(304, common).end();
    return;
  }
  const gzipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzipped ? ready.gzipped : ready.raw;
  res.writeHead(200, {
    ...common,
    'content-type': contentType,
    'content-length': body.length,
    ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
