import { int, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';

export const ordersSettingsSpec = {
  PORT: int({ default: 4003, min: 0, max: 65535 }),
  /** Where it listens: loopback by default (only the gateway calls it); k8s sets 0.0.0.0. */
  HOST: str({ default: '127.0.0.1' }),
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
  /** How long an order locks its ticket while the buyer pays. */
  ORDER_EXPIRATION_SECONDS: int({ default: 900, min: 1 }),
  /** How often overdue orders and orphan locks are swept (besides at start): the net under Redis. */
  ORDER_SWEEP_INTERVAL_MS: int({ default: 5_000, min: 50 }),
  /** A lock whose order does not exist this long after it was taken is an orphan (a crash in between). */
  ORPHAN_LOCK_GRACE_MS: int({ default: 30_000, min: 0 }),
  /** Active orders (CREATED or AWAITING_PAYMENT) one buyer may hold at once: no hoarding of tickets. */
  MAX_ACTIVE_ORDERS_PER_BUYER: int({ default: 5, min: 1, max: 1000 }),
  /** After cancelling an order, its buyer may order that ticket again only this much later (0: at once). */
  REORDER_COOLDOWN_SECONDS: int({ default: 60, min: 0 }),
};

export type OrdersSettings = ReturnType<typeof readOrdersSettings>;

export const readOrdersSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(ordersSettingsSpec, env);
