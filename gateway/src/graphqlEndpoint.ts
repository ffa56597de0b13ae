import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from '@ticketing/kit';
import { type Identity } from '@ticketing/kit/auth';
import { ErrorCode, graphqlRequestListener } from '@ticketing/kit/graphql';
import proxyaddr from 'proxy-addr';
import type { Authenticator } from './Authenticator';
import { cors } from './cors';
import type { GatewayContext } from './GatewayContext';

export interface GraphQLEndpointOptions {
  server: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  /** Origins allowed to call with credentials (CORS_ORIGINS). */
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed, as Express's "trust proxy" reads it (TRUST_PROXY). */
  trustProxy: string;
  /** A larger request body is refused with 413. Default 100 KiB. */
  maxBodyBytes?: number;
  logger?: Logger;
}

/**
 * The public /graphql: CORS, the caller's identity (session cookie or API key), then Apollo Server,
 * on node:http. Express, its router and body-parser were a fifth of the gateway's CPU for a small
 * query, all of it spent on every request.
 */
export function graphqlEndpoint(options: GraphQLEndpointOptions): RequestListener {
  const { server, authenticator, logger } = options;
  const trust = proxyaddr.compile(
    options.trustProxy
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const identities = new WeakMap<IncomingMessage, Identity | null>();
  const graphql = graphqlRequestListener<GatewayContext>({
    server,
    maxBodyBytes: options.maxBodyBytes ?? 100 * 1024,
    context: async ({ req, res }) => {
      const clientAddress = proxyaddr(req, trust);
      return { identity: identities.get(req) ?? null, ...(clientAddress ? { clientAddress } : {}), res };
    },
  });
  const allowCors = cors(options.corsOrigins);
  return (req, res) => {
    if (!allowCors(req, res)) return;
    authenticator.authenticate({ authorization: req.headers.authorization, cookie: req.headers.cookie }).then(
      (auth) => {
        if (!auth.ok) return sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'Invalid API key');
        if (auth.setCookie) res.appendHeader('Set-Cookie', auth.setCookie);
        identities.set(req, auth.identity);
        graphql(req, res);
      },
      (err: unknown) => {
        logger?.error({ err }, 'could not authenticate a request');
        sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      },
    );
  };
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    .end(body);
}
