import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { answerFailure, BodyTooLarge, pathnameOf, readBody, sendText } from './graphqlRequestListener';

/**
 * A route served beside /graphql that needs the request body as bytes, untouched: a webhook whose
 * signature is computed over the exact payload (Stripe's) cannot take a parsed body.
 */
export interface RawRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Matched exactly, without the query string; e.g. "/webhooks/stripe". */
  path: string;
  /** A larger body is refused with 413 before `handle` runs. Default 1 MiB (a webhook's payload). */
  maxBodyBytes?: number;
  /**
   * Answers the request through `res` before its promise settles. A throw (or an unanswered
   * request) is logged and answered with a plain 500 that shows nothing of the error.
   */
  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> | void;
}

export const DEFAULT_RAW_BODY_BYTES = 1024 ** 2;

/**
 * Serves `routes` by exact path and method: an unknown path is a 404, a known path asked with
 * another method a 405 naming the allowed ones. Two routes on one path and method are refused.
 */
export function rawRouter(routes: readonly RawRoute[], logger?: Logger): RequestListener {
  const byPath = new Map<string, Map<string, RequestListener>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map<string, RequestListener>();
    if (methods.has(route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
    methods.set(route.method, routeListener(route, logger));
    byPath.set(route.path, methods);
  }
  return (req, res) => {
    const methods = byPath.get(pathnameOf(req.url));
    if (!methods) return sendText(res, 404, 'Not found');
    const listener = methods.get(req.method ?? 'GET');
    if (listener) return listener(req, res);
    res.setHeader('allow', [...methods.keys()].join(', '));
    sendText(res, 405, 'Method not allowed');
  };
}

/** One route: reads the body under its cap, runs the handler, contains its failures. */
function routeListener(route: RawRoute, logger?: Logger): RequestListener {
  const limit = route.maxBodyBytes ?? DEFAULT_RAW_BODY_BYTES;
  return (req, res) => {
    readBody(req, limit)
      .then(async (body) => {
        await route.handle(req, body, res);
        if (!res.headersSent) throw new Error(`${route.method} ${route.path} did not answer`);
      })
      .catch((err: unknown) => {
        // An oversized body is the sender's mistake; anything else is ours and worth an alert.
        if (!(err instanceof BodyTooLarge)) {
          logger?.error({ err, method: route.method, path: route.path }, 'raw route failed');
        }
        answerFailure(res, err);
      });
  };
}
