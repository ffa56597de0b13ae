import { int, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';

export const ticketsSettingsSpec = {
  PORT: int({ default: 4002, min: 0, max: 65535 }),
  /** Where it listens: loopback by default (only the gateway calls it); k8s sets 0.0.0.0. */
  HOST: str({ default: '127.0.0.1' }),
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
};

export type TicketsSettings = ReturnType<typeof readTicketsSettings>;

export const readTicketsSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(ticketsSettingsSpec, env);
