import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from '@ticketing/kit';
import { type Identity, SessionProtocol } from '@ticketing/kit/auth';
import { ErrorCode, graphqlRequestListener, isUnavailableError } from '@ticketing/kit/graphql';
import type { Authenticator } from './Authenticator';
import { clientAddressOf } from './clientAddress';
import { cors } from './cors';
import type { GatewayContext } from './GatewayContext';
import { BEARER_CHALLENGE } from './http/httpStatusPlugin';
import { contentTypeOf, GraphQLMediaType, negotiateMediaType } from './http/mediaType';
import { type HttpAdmission, requestedOperation } from './limits/HttpAdmission';

export interface GraphQLEndpointOptions {
  server: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  /** Origins allowed to call with credentials (CORS_ORIGINS). */
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed, as Express's "trust proxy" reads it (TRUST_PROXY). */
  trustProxy: string;
  /** A larger request body is refused with 413. Default 100 KiB. */
  maxBodyBytes?: number;
  /** Past this, the client gets SERVICE_BUSY (503) and the request's subgraph calls are aborted. Default 10 s. */
  requestTimeoutMs?: number;
  /** The operation and rate limits, before Apollo Server parses the operation; none when absent. */
  admission?: HttpAdmission;
  logger?: Logger;
}

/** What the endpoint learnt of a request before Apollo Server runs it. */
interface Admitted {
  identity: Identity | null;
  clientAddress: string | undefined;
  signal: AbortSignal;
  deadline: number;
  cost?: number;
}

/**
 * The public /graphql: CORS, the caller's identity (session cookie or API key), the request's
 * deadline, the operation and rate limits, then Apollo Server, on node:http. Express, its router and body-parser were a fifth of the gateway's CPU for a small
 * query, all of it spent on every request.
 */
export function graphqlEndpoint(options: GraphQLEndpointOptions): RequestListener {
  const { server, authenticator, logger } = options;
  const { admission } = options;
  const addressOf = clientAddressOf(options.trustProxy);
  const requests = new WeakMap<IncomingMessage, Admitted>();
  const graphql = graphqlRequestListener<GatewayContext>({
    server,
    maxBodyBytes: options.maxBodyBytes ?? 100 * 1024,
    ...(admission
      ? {
          admit: async ({ req, res, body, search }) => {
            const request = requests.get(req);
            if (!request) return true;
            const operation = requestedOperation(body, search);
            const cost = await admission.admit(res, operation, request.identity, request.clientAddress);
            if (cost === false) return false;
            request.cost = cost;
            return true;
          },
        }
      : {}),
    context: async ({ req, res }) => {
      const request = requests.get(req);
      return {
        identity: request?.identity ?? null,
        ...(request?.clientAddress ? { clientAddress: request.clientAddress } : {}),
        res,
        ...(request?.signal ? { signal: request.signal, deadline: request.deadline } : {}),
        ...(request?.cost !== undefined ? { cost: request.cost } : {}),
      };
    },
  });
  const allowCors = cors(options.corsOrigins);
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  return (req, res) => {
    if (!allowCors(req, res)) return;
    const signal = deadline(res, timeoutMs);
    const endsAt = Date.now() + timeoutMs;
    authenticator.authenticate({ authorization: req.headers.authorization, cookie: req.headers.cookie }).then(
      (auth) => {
        if (!auth.ok)
          return sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'Invalid API key', {
            'www-authenticate': BEARER_CHALLENGE,
          });
        if (auth.setCookie) res.appendHeader('Set-Cookie', auth.setCookie);
        // The request goes on anonymously; the header only says why the cookie stopped working.
        if (auth.sessionEnded) res.setHeader(SessionProtocol.endedHeader, auth.sessionEnded);
        requests.set(req, {
          identity: auth.identity,
          clientAddress: addressOf(req),
          signal,
          deadline: endsAt,
        });
        graphql(req, res);
      },
      (err: unknown) => {
        // Sessions and API keys live in Redis: while it restarts, a caller is told to retry.
        if (isUnavailableError(err)) {
          logger?.warn({ err }, 'could not authenticate a request: Redis unavailable');
          return sendError(
            res,
            503,
            ErrorCode.SERVICE_UNAVAILABLE,
            'Temporarily unavailable; try again shortly',
            {
              'retry-after': '1',
            },
          );
        }
        logger?.error({ err }, 'could not authenticate a request');
        sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      },
    );
  };
}

/**
 * The request's one deadline: when it passes first, the client is answered SERVICE_BUSY at once
 * (retry later; nothing of what was running is shown); when it passes or the client goes away
 * before its answer, the signal aborts what still runs for it (subgraph calls, then their work).
 */
function deadline(res: ServerResponse, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`the request's deadline of ${timeoutMs} ms passed`));
    if (!res.headersSent) {
      sendError(res, 503, ErrorCode.SERVICE_BUSY, 'The request took too long; try again shortly', {
        'retry-after': '1',
      });
    }
  }, timeoutMs);
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) controller.abort(new Error('the client went away'));
  });
  return controller.signal;
}

function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res
    .writeHead(status, {
      ...headers,
      'content-type': contentTypeOf(negotiateMediaType(res.req.headers.accept) ?? GraphQLMediaType.JSON),
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}
