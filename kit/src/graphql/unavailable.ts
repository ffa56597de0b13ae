import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from './errors';

/** Error names of clients whose server cannot be reached (or went away mid-call). */
const UNREACHABLE_NAMES = new Set([
  // MongoDB's driver and mongoose
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  // ioredis: commands given up while it reconnects
  'MaxRetriesPerRequestError',
  // NATS
  'ConnectionError',
  'ClosedConnectionError',
  'NoRespondersError',
  // stripe-node
  'StripeConnectionError',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const UNREACHABLE_MESSAGES = [/^Connection is closed\.?$/, /enableOfflineQueue/];

/**
 * True when `err` (or what caused it) says a dependency could not be reached: a database, Redis,
 * NATS or Stripe down or restarting. Such an error is SERVICE_UNAVAILABLE to the client, who may
 * retry, never an INTERNAL_SERVER_ERROR.
 */
export function isUnavailableError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof name === 'string' && UNREACHABLE_NAMES.has(name)) return true;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(message))) return true;
    const next = e as { originalError?: unknown; cause?: unknown };
    e = next.originalError ?? next.cause;
  }
  return false;
}

/**
 * Answers HTTP 503 with Retry-After when nothing of the answer could be served because something
 * was unavailable (no data, or every root field null, and a SERVICE_UNAVAILABLE error); an answer
 * with partial data stays 200. The gateway retries a subgraph's 503 when that is safe.
 */
export function unavailableStatusPlugin<T extends BaseContext>(retryAfterSeconds = 1): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfterSeconds));
        },
      };
    },
  };
}
