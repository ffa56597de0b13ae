import { bool, int, list, readSettings, str, url } from '@ticketing/kit';
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
  JWT_KEY: str({ devDefault: SessionProtocol.devJwtKey }),
  INTERNAL_JWT_KEY: str({ devDefault: DEV_INTERNAL_JWT_KEY }),
  SESSION_TTL_SECONDS: int({ default: SessionProtocol.ttlSeconds, min: 60 }),
  /** Secure cookies; on in production, and wherever the site is served over https. */
  COOKIE_SECURE: bool({ default: process.env.NODE_ENV === 'production' }),
  /** Browser origins allowed to call the API with credentials. */
  CORS_ORIGINS: list({ default: ['http://localhost:3000', 'https://ticketing.dev'] }),
  API_KEY_CACHE_SECONDS: int({ default: 5, min: 0 }),
  MAX_QUERY_DEPTH: int({ default: 15, min: 2 }),
  MAX_QUERY_TOKENS: int({ default: 5000, min: 100 }),
  /** Express "trust proxy": which hops may set X-Forwarded-For. */
  TRUST_PROXY: str({ default: 'loopback, linklocal, uniquelocal' }),
  /** Identical anonymous queries in flight to one subgraph share one call (off: every caller calls). */
  SUBGRAPH_DEDUP: bool({ default: true }),
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
