import 'reflect-metadata';
import { connectEvents, type EventsConnection, OutboxRelay } from '@ticketing/events';
import { connectMongo, createLogger, ensureIndexes, type Logger, Shutdown } from '@ticketing/kit';
import { startSubgraphServer } from '@ticketing/kit/graphql';
import { handleIncoming, incomingEvents } from './incomingEvents';
import { type OrdersModels, registerModels } from './models';
import { OrderLifecycle } from './OrderLifecycle';
import { Sweeper } from './Sweeper';
import { buildOrdersSchema } from './schema';
import type { OrdersSettings } from './settings';

/** Events pulled at a time; each is a few database round trips. */
const CONSUMER_BATCH = 32;

export interface OrdersServiceOptions {
  settings: OrdersSettings;
  /** Database name; "orders" in production, `testDatabaseName(...)` in tests. */
  dbName?: string;
  /** Events connection options (tests pass their own stream). */
  events?: Parameters<typeof connectEvents>[0];
  logger?: Logger;
  production?: boolean;
}

export interface OrdersService {
  url: string;
  port: number;
  models: OrdersModels;
  events: EventsConnection;
  relay: OutboxRelay;
  lifecycle: OrderLifecycle;
  sweeper: Sweeper;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/** Starts the orders subgraph: MongoDB (indexes first), events, the sweeper, then HTTP. */
export async function createOrdersService(options: OrdersServiceOptions): Promise<OrdersService> {
  const { settings, dbName = 'orders' } = options;
  const logger = options.logger ?? createLogger({ service: 'orders' });
  const shutdown = new Shutdown({ logger });
  try {
    const connection = await connectMongo({ uri: settings.MONGO_URI, dbName });
    shutdown.add('mongodb', () => connection.close());
    const models = registerModels(connection);
    await ensureIndexes(connection);

    const events = await connectEvents({ url: settings.NATS_URL, name: 'orders', logger, ...options.events });
    shutdown.add('events', () => events.close());
    const relay = new OutboxRelay({ models: [models.Orders], publisher: events.publisher, logger }).start();
    shutdown.add('outbox relay', () => relay.stop());
    const kickOutbox = () => relay.kick();
    const lifecycle = new OrderLifecycle(models, kickOutbox);

    await events.consume({
      durable: 'orders',
      events: incomingEvents,
      handle: handleIncoming(models, lifecycle, logger),
      // A small batch: messages buffered beyond what is handled within the ack wait would be redelivered.
      batch: CONSUMER_BATCH,
    });
    const sweeper = new Sweeper({
      models,
      lifecycle,
      intervalMs: settings.ORDER_SWEEP_INTERVAL_MS,
      orphanGraceMs: settings.ORPHAN_LOCK_GRACE_MS,
      logger,
    }).start();
    shutdown.add('sweeper', () => sweeper.stop());

    const schema = await buildOrdersSchema({
      models,
      lifecycle,
      expirationSeconds: settings.ORDER_EXPIRATION_SECONDS,
      kickOutbox,
    });
    const server = await startSubgraphServer({
      schema,
      port: settings.PORT,
      internalKey: settings.INTERNAL_JWT_KEY,
      logger,
      shutdown,
      ...(options.production === undefined ? {} : { production: options.production }),
    });
    return {
      url: server.url,
      port: server.port,
      models,
      events,
      relay,
      lifecycle,
      sweeper,
      shutdown,
      stop: () => shutdown.run(),
    };
  } catch (err) {
    await shutdown.run('failed to start');
    throw err;
  }
}
