import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Shutdown } from '../Shutdown';
import { createFormatError } from './formatError';
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

/** Serves a subgraph schema over HTTP on /graphql (Apollo Server 5 standalone). */
export async function startSubgraphServer(options: StartSubgraphServerOptions): Promise<SubgraphServer> {
  const { schema, port, host = '0.0.0.0', internalKey, logger, shutdown, inlineTrace = false } = options;
  const server = new ApolloServer<SubgraphContext>({
    schema,
    formatError: createFormatError({
      ...(options.production === undefined ? {} : { production: options.production }),
      onMasked: (err) => logger?.error({ err }, 'unexpected error'),
    }),
    includeStacktraceInErrorResponses: false,
    plugins: [
      inlineTrace ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host },
    context: async ({ req, res }) => {
      const header = req.headers[IDENTITY_HEADER];
      return { ...verifyIdentity(typeof header === 'string' ? header : undefined, internalKey), req, res };
    },
  });
  const actualPort = Number(new URL(url).port);
  const local = `http://127.0.0.1:${actualPort}/graphql`;
  logger?.info({ url: local }, 'subgraph listening');
  const stop = () => server.stop();
  shutdown?.add('graphql server', stop);
  return { url: local, port: actualPort, server, stop };
}
