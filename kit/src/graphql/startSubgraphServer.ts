import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Shutdown } from '../Shutdown';
import { createFormatError } from './formatError';
import { graphqlRequestListener, pathnameOf, sendText } from './graphqlRequestListener';
import { IDENTITY_HEADER, type RequestIdentity, verifyIdentity } from './identityToken';

/** What every subgraph resolver gets: the verified identity, plus the raw request and response. */
export interface SubgraphContext extends RequestIdentity {
  req: IncomingMessage;
  res: ServerResponse;
}

export interface StartSubgraphServerOptions {
  schema: GraphQLSchema;
  /** 0 picks a free port (tests). */
  port: number;
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
}

export interface SubgraphServer {
  url: string;
  port: number;
  server: ApolloServer<SubgraphContext>;
  stop(): Promise<void>;
}

/** Serves a subgraph schema over HTTP on /graphql (Apollo Server 5 on node:http), and GET /healthz. */
export async function startSubgraphServer(options: StartSubgraphServerOptions): Promise<SubgraphServer> {
  const { schema, port, host = '0.0.0.0', internalKey, logger, shutdown, inlineTrace = false } = options;
  const httpServer = http.createServer();
  // Longer than the gateway's idle sockets live, so the gateway is the side that closes them.
  httpServer.keepAliveTimeout = 65_000;
  const server = new ApolloServer<SubgraphContext>({
    schema,
    formatError: createFormatError({
      ...(options.production === undefined ? {} : { production: options.production }),
      onMasked: (err) => logger?.error({ err }, 'unexpected error'),
    }),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      inlineTrace ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();
  const graphql = graphqlRequestListener({
    server,
    context: async ({ req, res }) => {
      const header = req.headers[IDENTITY_HEADER];
      return { ...verifyIdentity(typeof header === 'string' ? header : undefined, internalKey), req, res };
    },
  });
  httpServer.on('request', (req, res) => {
    const path = pathnameOf(req.url);
    if (path === '/graphql') graphql(req, res);
    else if (path === '/healthz' && req.method === 'GET') sendText(res, 200, 'ok');
    else sendText(res, 404, 'Not found');
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
