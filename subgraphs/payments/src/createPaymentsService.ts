import 'reflect-metadata';
import {
  type EventsConnection,
  type EventsOptions,
  type OutboxRelay,
  openServiceStore,
} from '@ticketing/events';
import { type Logger, type Shutdown, startService } from '@ticketing/kit';
import { startSubgraphServer } from '@ticketing/kit/graphql';
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

export interface PaymentsServiceOptions {
  settings: PaymentsSettings;
  /** Database name; "payments" in production, `testDatabaseName(...)` in tests. */
  dbName?: string;
  /** Events connection options (tests pass their own stream). */
  events?: EventsOptions;
  /** Default: stripe-node on the configured Stripe. Tests pass a double to get declines. */
  stripe?: StripeGateway;
  /** Default: the system clock. */
  now?: () => Date;
  /** How long payOrder waits for a just-created order's event. Default 2 000 ms. */
  orderWaitMs?: number;
  /** Durable consumer name. Default "payments". */
  durable?: string;
  logger?: Logger;
  production?: boolean;
}

export interface PaymentsService {
  url: string;
  /** Where Stripe sends webhooks. */
  webhookUrl: string;
  port: number;
  models: PaymentsModels;
  events: EventsConnection;
  relay: OutboxRelay;
  reconciler: Reconciler;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/** Starts the payments subgraph: MongoDB (indexes first), events, order projection, reconciliation, HTTP. */
export function createPaymentsService(options: PaymentsServiceOptions): Promise<PaymentsService> {
  const { settings, dbName = 'payments', now = () => new Date() } = options;
  return startService('payments', options.logger, async (ctx) => {
    const { logger, shutdown } = ctx;
    const { models, events, relay } = await openServiceStore(
      {
        service: 'payments',
        mongoUri: settings.MONGO_URI,
        dbName,
        natsUrl: settings.NATS_URL,
        events: options.events,
        registerModels,
        outboxOf: (m) => [m.Payments],
      },
      ctx,
    );

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
      currency: settings.PAYMENT_CURRENCY,
      maxAttempts,
      now,
      orderWaitMs: options.orderWaitMs ?? 2_000,
      kickOutbox: () => relay.kick(),
      logger,
    });
    const server = await startSubgraphServer({
      schema: await buildPaymentsSchema({ models, payOrder }),
      port: settings.PORT,
      host: settings.HOST,
      internalKey: settings.INTERNAL_JWT_KEY,
      routes: [stripeWebhook({ models, ledger, secret: settings.STRIPE_WEBHOOK_SECRET, logger })],
      shutdown,
      logger,
      ...(options.production === undefined ? {} : { production: options.production }),
    });
    return {
      url: server.url,
      webhookUrl: new URL(STRIPE_WEBHOOK_PATH, server.url).href,
      port: server.port,
      models,
      events,
      relay,
      reconciler,
    };
  });
}
