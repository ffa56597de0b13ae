import { int, type Parser, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';

/** stripe-mock's key in development and tests; any `sk_test_...` works against it. */
export const DEV_STRIPE_SECRET_KEY = 'sk_test_123';
/** A development-only webhook signing secret; STRIPE_WEBHOOK_SECRET is required in production. */
export const DEV_STRIPE_WEBHOOK_SECRET = 'whsec_dev_ticketing_not_for_production';
/** Where stripe-mock listens locally (DESIGN.md). */
export const DEFAULT_STRIPE_MOCK = 'http://127.0.0.1:12111';

/** A URL when set, nothing when unset. */
const optionalUrl = (): Parser<string | undefined> => ({
  parse: (raw, ctx) =>
    raw === undefined ? undefined : url({ protocols: ['http', 'https'] }).parse(raw, ctx),
});

export const paymentsSettingsSpec = {
  PORT: int({ default: 4004, min: 0, max: 65535 }),
  /** Where it listens: loopback by default (only the gateway calls it); k8s sets 0.0.0.0. */
  HOST: str({ default: '127.0.0.1' }),
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
  STRIPE_SECRET_KEY: secret({ devDefault: DEV_STRIPE_SECRET_KEY }),
  /** stripe-mock's URL; unset (with a real STRIPE_SECRET_KEY) for real Stripe. */
  STRIPE_API_BASE: optionalUrl(),
  STRIPE_WEBHOOK_SECRET: secret({ devDefault: DEV_STRIPE_WEBHOOK_SECRET }),
  /** Declines an order may take; the last one cancels it (ChargeFailed final). */
  PAYMENT_MAX_ATTEMPTS: int({ default: 3, min: 1, max: 10 }),
  /** How often payments left CREATED (a crash mid-charge) are finished. */
  RECONCILE_INTERVAL_SECONDS: int({ default: 60, min: 1 }),
  /** A payment younger than this is assumed to be in flight and left alone by reconciliation. */
  RECONCILE_AFTER_SECONDS: int({ default: 60, min: 0 }),
};

export type PaymentsSettings = ReturnType<typeof readPaymentsSettings>;

export const readPaymentsSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(paymentsSettingsSpec, env);

/**
 * The Stripe API base to use, or undefined for real Stripe: STRIPE_API_BASE when set; otherwise
 * stripe-mock's default while the key is the development placeholder (real Stripe would refuse it).
 */
export function stripeApiBase(settings: PaymentsSettings): string | undefined {
  if (settings.STRIPE_API_BASE) return settings.STRIPE_API_BASE;
  return settings.STRIPE_SECRET_KEY === DEV_STRIPE_SECRET_KEY ? DEFAULT_STRIPE_MOCK : undefined;
}
