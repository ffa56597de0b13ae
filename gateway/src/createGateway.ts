import http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { EventsOptions } from '@ticketing/events';
import { createLogger, type Logger, Readiness, Shutdown } from '@ticketing/kit';
import { SessionProtocol } from '@ticketing/kit/auth';
import { createFormatError, pathnameOf, sendText, unavailableStatusPlugin } from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { Redis } from 'ioredis';
import { ApiKeys } from './ApiKeys';
import { Authenticator } from './Authenticator';
import { clientAddressOf } from './clientAddress';
import { depthLimit } from './depthLimit';
import { explorerRoutes } from './explorer/explorerRoutes';
import type { GatewayContext } from './GatewayContext';
import { graphqlEndpoint } from './graphqlEndpoint';
import { withoutInternals } from './http/clientErrors';
import { httpStatusPlugin } from './http/httpStatusPlugin';
import { createHttpFetcher } from './httpFetcher';
import { CostModel } from './limits/CostModel';
import { HttpAdmission } from './limits/HttpAdmission';
import { limitsPlugin } from './limits/limitsPlugin';
import { OperationGuard } from './limits/OperationGuard';
import { RateLimiter } from './limits/RateLimiter';
import { PublicReads, type PublicReadsStats } from './publicReads/PublicReads';
import { answerReadiness } from './resilience/gatewayReadiness';
import { RetryPolicy } from './resilience/RetryPolicy';
import { SubgraphCalls } from './resilience/SubgraphCalls';
import { WarmSockets } from './resilience/WarmSockets';
import { Sessions } from './Sessions';
import { SubgraphDataSource } from './SubgraphDataSource';
import type { GatewaySettings } from './settings';
import { startLiveUpdates } from './subscriptions/startLiveUpdates';
import { OperationRecord } from './warmUp/OperationRecord';
import { warmUp } from './warmUp/warmUp';

export interface GatewayOptions {
  settings: GatewaySettings;
  /** The composed supergraph (supergraph.graphql). */
  supergraphSdl: string;
  /** Routing URL overrides by subgraph name (tests: subgraphs on port 0; k8s: service names). */
  subgraphUrls?: Record<string, string>;
  /** Events connection options for subscriptions (tests pass their own stream). */
  events?: Omit<EventsOptions, 'url'>;
  logger?: Logger;
  production?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Live subscriptions on this replica (for tests, bench and metrics). */
  subscriptionCount(): number;
  /** Anonymous reads answered from the cache, shared or fetched (for tests, bench and metrics). */
  publicReads(): PublicReadsStats;
  /** Operations planned and validated at start (WARM_UP_OPERATIONS). */
  warmedOperations: number;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/** The one public endpoint: @apollo/gateway in Apollo Server 5 on node:http, sessions, limits. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { settings, supergraphSdl, subgraphUrls = {} } = options;
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const logger = options.logger ?? createLogger({ service: 'gateway' });
  const shutdown = new Shutdown({ logger });
  try {
    const redis = new Redis(settings.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(settings.REDIS_URL, { lazyConnect: true });
    await Promise.all([redis.connect(), subscriber.connect()]);
    shutdown.add('redis', () => Promise.all([redis.quit(), subscriber.quit()]));
    const dependencies = new Readiness().add('redis', () => redis.ping(), { required: false });

    const sessions = new Sessions({
      redis,
      redisPrefix: settings.REDIS_PREFIX,
      jwtKey: settings.JWT_KEY,
      ttlSeconds: settings.SESSION_TTL_SECONDS,
      secureCookie: settings.COOKIE_SECURE,
    });
    const apiKeys = new ApiKeys({
      redis,
      subscriber,
      redisPrefix: settings.REDIS_PREFIX,
      cacheSeconds: settings.API_KEY_CACHE_SECONDS,
    });
    await apiKeys.start();

    const subgraphs = new Map<string, string>();
    const fetcher = createHttpFetcher({
      timeoutMs: settings.REQUEST_TIMEOUT_MS,
      maxSockets: settings.SUBGRAPH_MAX_SOCKETS,
    });
    shutdown.add('subgraph sockets', () => fetcher.close());
    const publicReads = new PublicReads({
      dedup: settings.SUBGRAPH_DEDUP,
      cacheMaxBytes: settings.PUBLIC_CACHE_MAX_BYTES,
      cacheMaxAgeMs: settings.PUBLIC_CACHE_MAX_AGE_MS,
      privateHeaders: [SessionProtocol.header],
    });
    const retries = new RetryPolicy({
      retries: settings.SUBGRAPH_RETRIES,
      baseDelayMs: settings.SUBGRAPH_RETRY_BASE_MS,
      maxDelayMs: settings.SUBGRAPH_RETRY_MAX_DELAY_MS,
    });
    const calls = new SubgraphCalls(retries, logger);
    const gateway = new ApolloGateway({
      supergraphSdl,
      logger,
      buildService: ({ name, url }) => {
        const target = subgraphUrls[name] ?? url;
        if (!target) throw new Error(`subgraph ${name} has no URL`);
        subgraphs.set(name, target);
        return new SubgraphDataSource({
          name,
          url: target,
          fetcher,
          internalKey: settings.INTERNAL_JWT_KEY,
          sessions,
          publicReads,
          calls,
        });
      },
    });
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
      apiSchema = loaded;
    });
    const authenticator = new Authenticator(sessions, apiKeys);

    const httpServer = http.createServer();
    httpServer.keepAliveTimeout = 65_000;

    const operationRecord =
      settings.WARM_UP_OPERATIONS > 0
        ? new OperationRecord({ redis, redisPrefix: settings.REDIS_PREFIX, max: settings.WARM_UP_OPERATIONS })
        : undefined;
    const validationRules = [depthLimit(settings.MAX_QUERY_DEPTH)];
    const guard = new OperationGuard({
      model: CostModel.fromSupergraph(supergraphSdl),
      limits: {
        cost: settings.MAX_OPERATION_COST,
        height: settings.MAX_QUERY_DEPTH,
        aliases: settings.MAX_OPERATION_ALIASES,
        rootFields: settings.MAX_OPERATION_ROOT_FIELDS,
      },
      rateLimiter: new RateLimiter(redis, settings.REDIS_PREFIX, {
        apiKey: {
          points: settings.RATE_LIMIT_API_KEY_POINTS,
          perSecond: settings.RATE_LIMIT_API_KEY_PER_SECOND,
        },
        user: { points: settings.RATE_LIMIT_USER_POINTS, perSecond: settings.RATE_LIMIT_USER_PER_SECOND },
        anonymous: {
          points: settings.RATE_LIMIT_ANONYMOUS_POINTS,
          perSecond: settings.RATE_LIMIT_ANONYMOUS_PER_SECOND,
        },
      }),
      logger,
    });
    const clientAddress = clientAddressOf(settings.TRUST_PROXY);
    const server = new ApolloServer<GatewayContext>({
      gateway,
      csrfPrevention: true,
      // A gateway stack is that of its own wrapping of a subgraph's error: noise to a client, and
      // costly to format on every error. Unexpected errors are logged with theirs (onMasked).
      includeStacktraceInErrorResponses: false,
      // The explorer reads the schema by introspection; the SDL is public anyway (/graphql/schema.graphql).
      introspection: !production || settings.EXPLORER,
      // No "Did you mean …?" naming fields and types to a client in production.
      hideSchemaDetailsFromClientErrors: production,
      formatError: withoutInternals(
        createFormatError({
          production,
          onMasked: (err) => logger.error({ err }, 'unexpected error'),
        }),
      ),
      validationRules,
      parseOptions: { maxTokens: settings.MAX_QUERY_TOKENS },
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginInlineTraceDisabled(),
        // Apollo's landing page loads Sandbox from a CDN: the explorer below is served from our own packages.
        ApolloServerPluginLandingPageDisabled(),
        httpStatusPlugin(),
        limitsPlugin(settings.MAX_OPERATION_COST),
        // Nothing served because subgraphs were down: 503 + Retry-After (partial data stays 200).
        unavailableStatusPlugin(),
        ...(operationRecord ? [operationRecord.plugin<GatewayContext>()] : []),
      ],
    });
    await server.start();
    shutdown.add('graphql server', () => server.stop());
    const warmSockets = new WarmSockets({
      fetcher,
      urls: () => [...subgraphs.values()].map((url) => new URL('/healthz', url).href),
      sockets: settings.SUBGRAPH_WARM_SOCKETS,
      logger,
    }).start();
    shutdown.add('warm subgraph sockets', () => warmSockets.stop());
    let warmed = 0;
    const warmStart = performance.now();
    if (operationRecord && apiSchema) {
      warmed = await warmUp(server, apiSchema, await operationRecord.top());
      operationRecord.start();
      // Before redis closes (shutdown runs its steps in reverse order of adding).
      shutdown.add('operation record', () => operationRecord.stop());
    }
    const warmUpMs = Math.round(performance.now() - warmStart);
    const hub = await startLiveUpdates({
      httpServer,
      server,
      schema: () => apiSchema,
      authenticator,
      validationRules,
      natsUrl: settings.NATS_URL,
      ...(options.events ? { events: options.events } : {}),
      maxSubscriptionsPerConnection: settings.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      keepAliveMs: settings.WS_KEEPALIVE_MS,
      recheckMs: settings.WS_RECHECK_MS,
      limits: {
        guard,
        maxPayloadBytes: settings.MAX_REQUEST_BYTES,
        maxTokens: settings.MAX_QUERY_TOKENS,
        allowedOrigins: settings.CORS_ORIGINS,
        maxConnectionsPerAddress: settings.WS_MAX_CONNECTIONS_PER_ADDRESS,
        maxConnectionsPerUser: settings.WS_MAX_CONNECTIONS_PER_USER,
        clientAddress,
      },
      // Before live updates resolve the event's payload, which may read the cache.
      onEvent: (event) => publicReads.onEvent(event.type),
      shutdown,
      logger,
    });

    const graphql = graphqlEndpoint({
      server,
      authenticator,
      corsOrigins: settings.CORS_ORIGINS,
      trustProxy: settings.TRUST_PROXY,
      maxBodyBytes: settings.MAX_REQUEST_BYTES,
      requestTimeoutMs: settings.REQUEST_TIMEOUT_MS,
      admission: new HttpAdmission(guard, settings.MAX_QUERY_TOKENS),
      logger,
    });
    const explorer = explorerRoutes({ explorer: settings.EXPLORER, schema: () => apiSchema });
    httpServer.on('request', (req, res) => {
      if (explorer(req, res)) return;
      const path = pathnameOf(req.url);
      if (path === '/graphql' || path === '/graphql/') graphql(req, res);
      else if (path === '/healthz' && req.method === 'GET') sendText(res, 200, 'ok');
      else if (path === '/readyz' && req.method === 'GET')
        void answerReadiness(res, subgraphs, settings.INTERNAL_JWT_KEY, dependencies);
      else sendText(res, 404, 'Not found');
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(settings.PORT, '0.0.0.0', () => resolve());
    });
    const address = httpServer.address();
    const port = typeof address === 'object' && address ? address.port : settings.PORT;
    const url = `http://127.0.0.1:${port}/graphql`;
    logger.info(
      {
        url,
        subgraphs: Object.fromEntries(subgraphs),
        subgraphDedup: settings.SUBGRAPH_DEDUP,
        publicCache: settings.PUBLIC_CACHE_MAX_BYTES
          ? { maxBytes: settings.PUBLIC_CACHE_MAX_BYTES, maxAgeMs: settings.PUBLIC_CACHE_MAX_AGE_MS }
          : 'off',
        warmUp: operationRecord ? { operations: warmed, ms: warmUpMs } : 'off',
        subgraphRetries: retries.enabled ? retries.options : 'off',
      },
      'gateway listening',
    );
    return {
      url,
      port,
      httpServer,
      subscriptionCount: () => hub.size,
      publicReads: () => publicReads.stats(),
      warmedOperations: warmed,
      shutdown,
      stop: () => shutdown.run(),
    };
  } catch (err) {
    await shutdown.run('failed to start');
    throw err;
  }
}
