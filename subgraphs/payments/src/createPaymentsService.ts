import 'reflect-metadata';
import { type StoreService, type StoreServiceOptions, startStoreService } from '@ticketing/events';
import { IdempotencyKeys, serveSubgraph } from '@ticketing/kit/graphql';
import { consumedEvents, handleEvents } from './handleEvents';
import { type PaymentsModels, registerModels } from './models';
import { PaymentLedger } from './PaymentLedger';
import { PayOrder } from './PayOrder';
import { Reconciler } from './Reconciler';
import { buildPaymentsSchema } from './schema';
import { type PaymentsSettings, stripeApiBase } from './settings';
import type { StripeGateway } from './stripe/StripeGateway';
import { StripeNodeGateway } from './stripe/StripeNodeGateway';
import { STRIPE_WEBHOOK_PATH, stripeWebhook } from './stripeWebhook';

export interface PaymentsServiceOptions extends StoreServiceOptions {
  settings: PaymentsSettings;
  /** Default: stripe-node on the configured Stripe. Tests pass a double to get declines. */
  stripe?: StripeGateway;
  /** Default: the system clock. */
  now?: () => Date;
  /** How long payOrder waits for a just-created order's event. Default 2 000 ms. */
  orderWaitMs?: number;
  /** Durable consumer name. Default "payments". */
  durable?: string;
  production?: boolean;
}

export interface PaymentsService extends StoreService<PaymentsModels> {
  url: string;
  /** Where Stripe sends webhooks. */
  webhookUrl: string;
  port: number;
  reconciler: Reconciler;
}

/** Starts the payments subgraph: MongoDB (indexes first), events, order projection, reconciliation, HTTP. */
export function createPaymentsService(options: PaymentsServiceOptions): Promise<PaymentsService> {
  const { settings, now = () => new Date() } = options;
  const store = { registerModels, outboxOf: (m: PaymentsModels) => [m.Payments] };
  return startStoreService('payments', options, store, async ({ models, events, relay }, ctx) => {
    const { logger, shutdown } = ctx;
    const stripe =
      options.stripe ??
      new StripeNodeGateway({ secretKey: settings.STRIPE_SECRET_KEY, apiBase: stripeApiBase(settings) });
    const maxAttempts = settings.PAYMENT_MAX_ATTEMPTS;
    const ledger = new PaymentLedger({
      models,
      stripe,
      maxAttempts,
      now,
      kickOutbox: () => relay.kick(),
      logger,
    });

    await events.consume({
      durable: options.durable ?? 'payments',
      events: consumedEvents,
      handle: handleEvents(models, ledger),
    });

    const reconciler = new Reconciler({
      models,
      ledger,
      stripe,
      now,
      afterMs: settings.RECONCILE_AFTER_SECONDS * 1000,
      intervalMs: settings.RECONCILE_INTERVAL_SECONDS * 1000,
      logger,
    }).start();
    shutdown.add('reconciliation', () => reconciler.stop());

    const payOrder = new PayOrder({
      models,
      ledger,
      stripe,
      maxAttempts,
      now,
      orderWaitMs: options.orderWaitMs ?? 2_000,
      kickOutbox: () => relay.kick(),
      idempotency: new IdempotencyKeys(models.IdempotencyRecords, { now }),
      logger,
    });
    const server = await serveSubgraph(await buildPaymentsSchema({ models, payOrder }), settings, ctx, {
      production: options.production,
      routes: [stripeWebhook({ models, ledger, secret: settings.STRIPE_WEBHOOK_SECRET, logger })],
    });
    return {
      url: server.url,
      webhookUrl: new URL(STRIPE_WEBHOOK_PATH, server.url).href,
      port: server.port,
      reconciler,
    };
  });
}
