import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Logger, Shutdown } from '@ticketing/kit';
import {
  createFormatError,
  IDENTITY_HEADER,
  type SubgraphContext,
  verifyIdentity,
} from '@ticketing/kit/graphql';
import express, { type RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { STRIPE_WEBHOOK_PATH } from './stripeWebhook';

export interface PaymentsServerOptions {
  schema: GraphQLSchema;
  /** 0 picks a free port (tests). */
  port: number;
  internalKey: string;
  webhook: RequestHandler;
  shutdown: Shutdown;
  logger?: Logger;
  production?: boolean;
}

/**
 * The subgraph on /graphql (as kit's startSubgraphServer serves it) plus Stripe's webhook beside it
 * on the same port, which is why this one runs on Express: the webhook needs the raw body.
 */
export async function startPaymentsServer(options: PaymentsServerOptions) {
  const { schema, port, internalKey, logger, shutdown } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const server = new ApolloServer<SubgraphContext>({
    schema,
    formatError: createFormatError({
      ...(options.production === undefined ? {} : { production: options.production }),
      onMasked: (err) => logger?.error({ err }, 'unexpected error'),
    }),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  shutdown.add('graphql server', () => server.stop());

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.post(STRIPE_WEBHOOK_PATH, express.raw({ type: '*/*', limit: '1mb' }), options.webhook);
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const header = req.headers[IDENTITY_HEADER];
        return { ...verifyIdentity(typeof header === 'string' ? header : undefined, internalKey), req, res };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '0.0.0.0', () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const base = `http://127.0.0.1:${actualPort}`;
  logger?.info({ url: `${base}/graphql` }, 'subgraph listening');
  return { url: `${base}/graphql`, webhookUrl: `${base}${STRIPE_WEBHOOK_PATH}`, port: actualPort };
}
