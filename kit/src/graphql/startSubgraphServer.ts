import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { IDENTITY_HEADER, type RequestIdentity, readIdentity } from '../auth';
import type { Readiness } from '../Readiness';
import type { Shutdown } from '../Shutdown';
import { createFormatError } from './formatError';
import { graphqlRequestListener, pathnameOf, sendJson, sendText } from './graphqlRequestListener';
import { type RawRoute, rawRouter } from './rawRouter';
import { unavailableStatusPlugin } from './unavailable';

/** What every subgraph resolver gets: the verified identity, plus the raw request and response. */
export interface SubgraphContext extends RequestIdentity {
  req: IncomingMessage;
  res: ServerResponse;
  /**
   * Aborted when the connection closes before the answer is sent (the gateway gave up or its
   * client went away): a resolver stops its work instead of finishing it for no one.
   */
  signal: AbortSignal;
}

export interface StartSubgraphServerOptions {
  schema: GraphQLSchema;
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1: only the gateway calls a subgraph; k8s sets HOST=0.0.0.0. */
  host?: string;
  /** Key of the gateway's identity token (INTERNAL_JWT_KEY). */
  internalKey: string;
  logger?: Logger;
  /** The server is stopped when this runs. */
  shutdown?: Shutdown;
  /** Inline tracing (ftv1) costs on every request; off unless asked for. */
  inlineTrace?: boolean;
  production?: boolean;
  plugins?: ApolloServerPlugin<SubgraphContext>[];
  /**
   * Routes served beside /graphql and GET /healthz with the body as raw bytes (a signed webhook).
   * Default none. They may not take /graphql or /healthz.
   */
  routes?: readonly RawRoute[];
  /** GET /readyz: 200 while every required dependency answers, 503 otherwise; the body lists each. */
  readiness?: Readiness;
}

export interface SubgraphServer {
  url: string;
  port: number;
  server: ApolloServer<SubgraphContext>;
  stop(): Promise<void>;
}

/**
 * Serves a subgraph schema over HTTP on /graphql (Apollo Server 5 on node:http), GET /healthz, and
 * the caller's raw routes; any other path is a 404, a known path with another method a 405.
 */
export async function startSubgraphServer(options: StartSubgraphServerOptions): Promise<SubgraphServer> {
  const { schema, port, host = '127.0.0.1', internalKey, logger, shutdown, inlineTrace = false } = options;
  if (options.routes?.some((route) => route.path === '/graphql')) throw new Error('/graphql is the schema');
  const routes = rawRouter(
    [
      { method: 'GET', path: '/healthz', handle: (_req, _body, res) => sendText(res, 200, 'ok') },
      ...(options.readiness ? [readyRoute(options.readiness)] : []),
      ...(options.routes ?? []),
    ],
    logger,
  );
  const httpServer = http.createServer();
  // Longer than the gateway's idle sockets live (5 minutes, httpFetcher), so the gateway is the side
  // that closes them; it keeps sockets open ahead of a rush (SUBGRAPH_WARM_SOCKETS).
  httpServer.keepAliveTimeout = 600_000;
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const server = new ApolloServer<SubgraphContext>({
    schema,
    // No "Did you mean …?" naming fields and types to a client in production.
    hideSchemaDetailsFromClientErrors: production,
    formatError: createFormatError({
      ...(options.production === undefined ? {} : { production: options.production }),
      onMasked: (err) => logger?.error({ err }, 'unexpected error'),
    }),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      inlineTrace ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      // Its database down: 503, which the gateway retries for a query.
      unavailableStatusPlugin(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();
  const graphql = graphqlRequestListener({
    server,
    context: async ({ req, res }) => {
      const header = req.headers[IDENTITY_HEADER];
      const verified = readIdentity(typeof header === 'string' ? header : undefined, internalKey);
      if (!verified) throw notFromGateway();
      return { ...verified, req, res, signal: abortedOnClose(res) };
    },
  });
  httpServer.on('request', (req, res) => {
    if (pathnameOf(req.url) === '/graphql') graphql(req, res);
    else routes(req, res);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => resolve());
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const local = `http://127.0.0.1:${actualPort}/graphql`;
  logger?.info({ url: local }, 'subgraph listening');
  const stop = () => server.stop();
  shutdown?.add('graphql server', stop);
  return { url: local, port: actualPort, server, stop };
}

/**
 * Every caller, anonymous ones included, comes through the gateway, which signs who they are: a
 * request without its valid token went around the gateway's limits and is refused (401).
 */
function notFromGateway(): GraphQLError {
  return new GraphQLError(
    `This subgraph answers only the gateway: a valid ${IDENTITY_HEADER} header is required`,
    {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    },
  );
}

function readyRoute(readiness: Readiness): RawRoute {
  return {
    method: 'GET',
    path: '/readyz',
    handle: async (_req, _body, res) => {
      const report = await readiness.report();
      sendJson(res, report.ready ? 200 : 503, report);
    },
  };
}

/** A signal aborted when `res` closes unfinished. */
function abortedOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the caller went away'));
  });
  return controller.signal;
}
