import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';

export interface GraphQLRequestListenerOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: (args: { req: IncomingMessage; res: ServerResponse }) => Promise<TContext>;
  /** A larger request body is refused with 413. Default 5 MiB (entity batches from the gateway). */
  maxBodyBytes?: number;
  /**
   * Runs once the request is read, before Apollo Server parses or validates anything; false when
   * it answered the request itself (the gateway's limits refuse an operation there).
   */
  admit?: (request: {
    req: IncomingMessage;
    res: ServerResponse;
    body: unknown;
    search: string;
  }) => Promise<boolean>;
}

/**
 * Apollo Server on plain node:http: the listener reads the JSON body itself and runs the request,
 * instead of going through Express and body-parser, which took a tenth of a subgraph's CPU per
 * request under a rush of buyers. Routing is the caller's: this serves whatever it is given.
 */
export function graphqlRequestListener<TContext extends BaseContext>(
  options: GraphQLRequestListenerOptions<TContext>,
): RequestListener {
  const { server, context, maxBodyBytes = 5 * 1024 ** 2 } = options;
  return (req, res) => {
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
            return sendText(res, 400, 'The request body is not valid JSON');
          }
        }
        const url = req.url ?? '';
        const q = url.indexOf('?');
        const search = q === -1 ? '' : url.slice(q);
        if (options.admit && !(await options.admit({ req, res, body, search }))) return;
        const response = await server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: (req.method ?? 'GET').toUpperCase(),
            headers,
            search,
            body,
          },
          context: () => context({ req, res }),
        });
        // Answered already (the caller's deadline passed, or the client went away): nothing to send.
        if (res.writableEnded || res.destroyed) return;
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch((err: unknown) => answerFailure(res, err));
  };
}

/**
 * The answer to a request that failed: 413 for a body over the cap (its message says the cap), else
 * a plain 500 that shows nothing of the error (no stack), or a cut connection once the headers went.
 */
export function answerFailure(res: ServerResponse, err: unknown): void {
  if (err instanceof BodyTooLarge) sendText(res, 413, err.message);
  else if (!res.headersSent) sendText(res, 500, 'Internal server error');
  else res.destroy(err instanceof Error ? err : undefined);
}

/** The path of a request URL, without its query string. */
export function pathnameOf(url: string | undefined): string {
  const value = url ?? '';
  const q = value.indexOf('?');
  return q === -1 ? value : value.slice(0, q);
}

/** Ends `res` with a plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

/** Ends `res` with `value` as a JSON body. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

/** A request body over the listener's cap; answered 413 by `answerFailure`. */
export class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The whole body of `req`, refused with `BodyTooLarge` past `limit` bytes (the rest is drained). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
