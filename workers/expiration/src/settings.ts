import { readSettings, str, url } from '@ticketing/kit';

export const expirationSettingsSpec = {
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis', 'rediss'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  /** BullMQ's keys live under `<REDIS_PREFIX>bull:<queue>:…`. */
  REDIS_PREFIX: str({ default: 'ticketing:' }),
  EXPIRATION_QUEUE: str({ default: 'order-expiration' }),
};

export type ExpirationSettings = ReturnType<typeof readExpirationSettings>;

export const readExpirationSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(expirationSettingsSpec, env);

/** BullMQ's key prefix for these settings (tests delete keys under it to play "Redis was flushed"). */
export const bullPrefix = (settings: Pick<ExpirationSettings, 'REDIS_PREFIX'>) =>
  `${settings.REDIS_PREFIX}bull`;
