import { bool, int, list, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY, SessionProtocol } from '@ticketing/kit/auth';

export const gatewaySettingsSpec = {
  PORT: int({ default: 4000, min: 0, max: 65535 }),
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis', 'rediss'] }),
  REDIS_PREFIX: str({ default: 'ticketing:' }),
  /** Domain events, for subscriptions. */
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int({ default: 20, min: 1 }),
  /** WebSocket keep-alive ping interval. */
  WS_KEEPALIVE_MS: int({ default: 15_000, min: 1_000 }),
  /** How often each WebSocket's session or API key is checked again (a revoked one is disconnected). */
  WS_RECHECK_MS: int({ default: 10_000, min: 100 }),
  JWT_KEY: secret({ devDefault: SessionProtocol.devJwtKey, minLength: 32 }),
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
  SESSION_TTL_SECONDS: int({ default: SessionProtocol.ttlSeconds, min: 60 }),
  /** Secure cookies; on in production, and wherever the site is served over https. */
  COOKIE_SECURE: bool({ default: process.env.NODE_ENV === 'production' }),
  /** Browser origins allowed to call the API with credentials. */
  CORS_ORIGINS: list({ default: ['http://localhost:3000', 'https://ticketing.dev'] }),
  API_KEY_CACHE_SECONDS: int({ default: 5, min: 0 }),
  MAX_QUERY_DEPTH: int({ default: 15, min: 2 }),
  MAX_QUERY_TOKENS: int({ default: 5000, min: 100 }),
  /** An operation's static cost (objects it may return, lists by their `first`, entity hops). */
  MAX_OPERATION_COST: int({ default: 1000, min: 1 }),
  MAX_OPERATION_ALIASES: int({ default: 30, min: 0 }),
  MAX_OPERATION_ROOT_FIELDS: int({ default: 10, min: 1 }),
  /** Bytes of a request body or of a WebSocket message (checked before either is parsed). */
  MAX_REQUEST_BYTES: int({ default: 100 * 1024, min: 1024 }),
  /** One deadline per request: past it the client gets SERVICE_BUSY and subgraph calls are aborted. */
  REQUEST_TIMEOUT_MS: int({ default: 10_000, min: 100 }),
  /**
   * Token buckets in Redis, spent by each operation's cost (a refused one costs 1): capacity
   * (points) and refill (points a second) per API key, per signed-in user, per address when
   * anonymous. A capacity of 0 turns that kind's limit off.
   */
  RATE_LIMIT_API_KEY_POINTS: int({ default: 4000, min: 0 }),
  RATE_LIMIT_API_KEY_PER_SECOND: int({ default: 200, min: 1 }),
  RATE_LIMIT_USER_POINTS: int({ default: 2000, min: 0 }),
  RATE_LIMIT_USER_PER_SECOND: int({ default: 100, min: 1 }),
  RATE_LIMIT_ANONYMOUS_POINTS: int({ default: 1000, min: 0 }),
  RATE_LIMIT_ANONYMOUS_PER_SECOND: int({ default: 50, min: 1 }),
  /** Open WebSockets per client address and per signed-in user (more are refused). */
  WS_MAX_CONNECTIONS_PER_ADDRESS: int({ default: 50, min: 1 }),
  WS_MAX_CONNECTIONS_PER_USER: int({ default: 10, min: 1 }),
  /** Express "trust proxy": which hops may set X-Forwarded-For. */
  TRUST_PROXY: str({ default: 'loopback, linklocal, uniquelocal' }),
  /** Identical anonymous queries in flight to one subgraph share one call (off: every caller calls). */
  SUBGRAPH_DEDUP: bool({ default: true }),
  /** Sockets the gateway opens to one subgraph at most; calls beyond wait for one to be free. */
  SUBGRAPH_MAX_SOCKETS: int({ default: 512, min: 1 }),
  /**
   * Keep-alive sockets kept open to each subgraph ahead of a rush (opened at start, and again every
   * 30 s when closed), so a burst of calls does not open them under load; 0: opened on demand only.
   */
  SUBGRAPH_WARM_SOCKETS: int({ default: 256, min: 0 }),
  /**
   * Bytes of anonymous subgraph answers kept (tickets and users, dropped by their domain events as
   * this replica sees them); 0 turns the cache off.
   */
  PUBLIC_CACHE_MAX_BYTES: int({ default: 32 * 1024 * 1024, min: 0 }),
  /** A cached anonymous answer is fetched again after this long (a bound on any missed event). */
  PUBLIC_CACHE_MAX_AGE_MS: int({ default: 30_000, min: 100 }),
  /**
   * Operations planned and validated at start: the ones replicas saw most (kept in Redis without
   * their variables); 0 turns the warm-up and the record off.
   */
  WARM_UP_OPERATIONS: int({ default: 100, min: 0, max: 10_000 }),
  /**
   * A query or entity fetch whose subgraph cannot be reached (refused, reset, 502/503/504) is sent
   * again up to this many times, after jittered waits doubling from SUBGRAPH_RETRY_BASE_MS up to
   * SUBGRAPH_RETRY_MAX_DELAY_MS, within the request's deadline; mutations never are. 0: off.
   */
  SUBGRAPH_RETRIES: int({ default: 5, min: 0, max: 20 }),
  SUBGRAPH_RETRY_BASE_MS: int({ default: 100, min: 1 }),
  SUBGRAPH_RETRY_MAX_DELAY_MS: int({ default: 2_000, min: 1 }),
  /**
   * GraphiQL on a browser's GET of /graphql (served from our packages, no CDN); on except in
   * production. On in production it also answers introspection, which the explorer reads.
   */
  EXPLORER: bool({ default: process.env.NODE_ENV !== 'production' }),
  /** The committed supergraph (composed from rover.yaml by `npm run supergraph`). */
  SUPERGRAPH_PATH: str({ default: '' }),
};

export type GatewaySettings = ReturnType<typeof readGatewaySettings>;

export const readGatewaySettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(gatewaySettingsSpec, env);

/** Subgraph URL overrides from the environment: SUBGRAPH_USERS_URL=http://users:4001/graphql. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const m = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(name);
    if (m?.[1] && value) out[m[1].toLowerCase()] = value;
  }
  return out;
}
