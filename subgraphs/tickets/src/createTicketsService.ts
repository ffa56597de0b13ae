import 'reflect-metadata';
import { connectEvents, type EventsConnection, OutboxRelay } from '@ticketing/events';
import { connectMongo, createLogger, ensureIndexes, type Logger, Shutdown } from '@ticketing/kit';
import { startSubgraphServer } from '@ticketing/kit/graphql';
import { registerModels, type TicketsModels } from './models';
import { handleOrderEvent, orderEvents } from './orderEvents';
import { buildTicketsSchema } from './schema';
import type { TicketsSettings } from './settings';
import { TicketWriter } from './TicketWriter';

/** Events pulled at a time; each is a few database round trips. */
const CONSUMER_BATCH = 32;

export interface TicketsServiceOptions {
  settings: TicketsSettings;
  /** Database name; "tickets" in production, `testDatabaseName(...)` in tests. */
  dbName?: string;
  /** Events connection options (tests pass their own stream). */
  events?: Parameters<typeof connectEvents>[0];
  logger?: Logger;
  production?: boolean;
}

export interface TicketsService {
  url: string;
  port: number;
  models: TicketsModels;
  events: EventsConnection;
  relay: OutboxRelay;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/** Starts the tickets subgraph: MongoDB (indexes first), events (outbox relay, order events), then HTTP. */
export async function createTicketsService(options: TicketsServiceOptions): Promise<TicketsService> {
  const { settings, dbName = 'tickets' } = options;
  const logger = options.logger ?? createLogger({ service: 'tickets' });
  const shutdown = new Shutdown({ logger });
  try {
    const connection = await connectMongo({ uri: settings.MONGO_URI, dbName });
    shutdown.add('mongodb', () => connection.close());
    const models = registerModels(connection);
    await ensureIndexes(connection);

    const events = await connectEvents({
      url: settings.NATS_URL,
      name: 'tickets',
      logger,
      ...options.events,
    });
    shutdown.add('events', () => events.close());
    const relay = new OutboxRelay({ models: [models.Tickets], publisher: events.publisher, logger }).start();
    shutdown.add('outbox relay', () => relay.stop());
    const kickOutbox = () => relay.kick();
    const writer = new TicketWriter(models, kickOutbox);

    // A small batch: messages buffered beyond what is handled within the ack wait would be redelivered.
    await events.consume({
      durable: 'tickets',
      events: orderEvents,
      handle: handleOrderEvent(writer, logger),
      batch: CONSUMER_BATCH,
    });

    const schema = await buildTicketsSchema({ models, writer, kickOutbox });
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
      shutdown,
      stop: () => shutdown.run(),
    };
  } catch (err) {
    await shutdown.run('failed to start');
    throw err;
  }
}
