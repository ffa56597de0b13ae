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
import { ListingFeed } from './ListingFeed';
import { ListingIndex } from './ListingIndex';
import { listedTicket } from './listedTicket';
import { registerModels, type TicketsModels } from './models';
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
  events?: EventsOptions;
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
export function createTicketsService(options: TicketsServiceOptions): Promise<TicketsService> {
  const { settings, dbName = 'tickets' } = options;
  return startService('tickets', options.logger, async (ctx) => {
    const { logger, shutdown } = ctx;
    const { models, events, relay } = await openServiceStore(
      {
        service: 'tickets',
        mongoUri: settings.MONGO_URI,
        dbName,
        natsUrl: settings.NATS_URL,
        events: options.events,
        registerModels,
        outboxOf: (m) => [m.Tickets],
      },
      ctx,
    );
    const kickOutbox = () => relay.kick();
    // The listing from memory: loaded once, then kept by this replica's writes and the others' events.
    const listing = new ListingIndex();
    const writer = new TicketWriter(models, kickOutbox, (doc) => listing.apply(listedTicket(doc)));
    const feed = await new ListingFeed(listing, models.Tickets, logger).start(events);
    shutdown.add('listing feed', () => feed.stop());

    // A small batch: messages buffered beyond what is handled within the ack wait would be redelivered.
    await events.consume({
      durable: 'tickets',
      events: consumedEvents,
      handle: handleEvents(writer, logger),
      batch: CONSUMER_BATCH,
    });

    const schema = await buildTicketsSchema({ models, writer, kickOutbox, listing });
    const server = await startSubgraphServer({
      schema,
      port: settings.PORT,
      host: settings.HOST,
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
    };
  });
}
