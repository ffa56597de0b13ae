import { int, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY, SessionProtocol } from '@ticketing/kit/auth';

export const usersSettingsSpec = {
  PORT: int({ default: 4001, min: 0, max: 65535 }),
  /** Where it listens: loopback by default (only the gateway calls it); k8s sets 0.0.0.0. */
  HOST: str({ default: '127.0.0.1' }),
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis', 'rediss'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  JWT_KEY: secret({ devDefault: SessionProtocol.devJwtKey, minLength: 32 }),
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
  SESSION_TTL_SECONDS: int({ default: SessionProtocol.ttlSeconds, min: 60 }),
  /** A session's absolute lifetime (7 days): renewals (SESSION_TTL_SECONDS, sliding) never pass it. */
  SESSION_MAX_AGE_SECONDS: int({ default: SessionProtocol.maxAgeSeconds, min: 60 }),
  /** How long a password-reset token works (30 minutes); it works once. */
  PASSWORD_RESET_TTL_SECONDS: int({ default: 1800, min: 60, max: 24 * 3600 }),
  REDIS_PREFIX: str({ default: 'ticketing:' }),
  /** Password checks one account gets from one address before each further one waits (1 s, doubling). */
  SIGN_IN_FREE_ATTEMPTS: int({ default: 5, min: 1 }),
  /** Failed password checks one address gets over all accounts before its own back-off. */
  SIGN_IN_PER_ADDRESS: int({ default: 20, min: 1 }),
  /** The first back-off; it doubles with each further attempt, up to SIGN_IN_MAX_BACKOFF_SECONDS. */
  SIGN_IN_BACKOFF_SECONDS: int({ default: 1, min: 1 }),
  SIGN_IN_MAX_BACKOFF_SECONDS: int({ default: 900, min: 1 }),
  /** Sign-ups one client address may try per SIGN_UP_WINDOW_SECONDS; 0 turns the limit off. */
  SIGN_UP_PER_ADDRESS: int({ default: 10, min: 0 }),
  SIGN_UP_WINDOW_SECONDS: int({ default: 3600, min: 1 }),
};

export type UsersSettings = ReturnType<typeof readUsersSettings>;

export const readUsersSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(usersSettingsSpec, env);
