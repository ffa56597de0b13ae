import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';

export interface GraphQLRequestListenerOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: (args: { req: IncomingMessage; res: ServerResponse }) => Promise<TContext>;
  /** Where GraphQL is served. Default /graphql; GET /healthz answers "ok"; anything else is 404. */
  path?: string;
  /** A larger request body is refused with 413. Default 5 MiB (entity batches from the gateway). */
  maxBodyBytes?: number;
}

/**
 * Apollo Server on plain node:http, for subgraphs: only the gateway calls them, so there is no
 * CORS, and the JSON body is read here instead of through Express and body-parser, which cost a
 * subgraph a tenth of its CPU per request under a rush of buyers.
 */
export function graphqlRequestListener<TContext extends BaseContext>(
  options: GraphQLRequestListenerOptions<TContext>,
): RequestListener {
  const { server, context, path = '/graphql', maxBodyBytes = 5 * 1024 ** 2 } = options;
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    if (pathname === '/healthz' && req.method === 'GET') return reply(res, 200, 'text/plain', 'ok');
    if (pathname !== path) return reply(res, 404, 'text/plain', 'Not found');
    readBody(req, maxBodyBytes)
      .then(async (raw) => {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        }
        let body: unknown;
        if (raw.length && headers.get('content-type')?.includes('json')) {
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            return reply(res, 400, 'text/plain', 'The request body is not valid JSON');
          }
        }
        const response = await server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: (req.method ?? 'GET').toUpperCase(),
            headers,
            search: q === -1 ? '' : url.slice(q),
            body,
          },
          context: () => context({ req, res }),
        });
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch((err: Error & { status?: number }) => {
        if (err.status === 413) reply(res, 413, 'text/plain', err.message);
        else if (!res.headersSent) reply(res, 500, 'text/plain', 'Internal server error');
        else res.destroy(err);
      });
  };
}

function reply(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error(`The request body is larger than ${limit} bytes`), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
