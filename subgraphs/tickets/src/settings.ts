import { int, readSettings, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';

export const ticketsSettingsSpec = {
  PORT: int({ default: 4002, min: 0, max: 65535 }),
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  INTERNAL_JWT_KEY: str({ devDefault: DEV_INTERNAL_JWT_KEY }),
};

export type TicketsSettings = ReturnType<typeof readTicketsSettings>;

export const readTicketsSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(ticketsSettingsSpec, env);
