import 'reflect-metadata';
import { type StoreService, type StoreServiceOptions, startStoreService } from '@ticketing/events';
import { IdempotencyKeys, serveSubgraph } from '@ticketing/kit/graphql';
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

export interface TicketsServiceOptions extends StoreServiceOptions {
  settings: TicketsSettings;
  production?: boolean;
}

export interface TicketsService extends StoreService<TicketsModels> {
  url: string;
  port: number;
}

/** Starts the tickets subgraph: MongoDB (indexes first), events (outbox relay, order events), then HTTP. */
export function createTicketsService(options: TicketsServiceOptions): Promise<TicketsService> {
  const { settings } = options;
  const store = { registerModels, outboxOf: (m: TicketsModels) => [m.Tickets] };
  return startStoreService('tickets', options, store, async ({ models, events, relay }, ctx) => {
    const { logger, shutdown } = ctx;
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

    const idempotency = new IdempotencyKeys(models.IdempotencyRecords);
    const schema = await buildTicketsSchema({ models, writer, kickOutbox, listing, idempotency });
    const server = await serveSubgraph(schema, settings, ctx, options);
    return { url: server.url, port: server.port };
  });
}
