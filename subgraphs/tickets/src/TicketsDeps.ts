import type { IdempotencyKeys } from '@ticketing/kit/graphql';
import type { ListingIndex } from './ListingIndex';
import type { TicketsModels } from './models';
import type { TicketWriter } from './TicketWriter';

/** What the resolvers need; built once by createTicketsService. */
export interface TicketsDeps {
  models: TicketsModels;
  writer: TicketWriter;
  /** The listing's read model, kept by ListingFeed and this replica's writes. */
  listing: ListingIndex;
  /** createTicket's idempotency keys. */
  idempotency: IdempotencyKeys;
  /** Asks the outbox relay to publish now (after a write that added an event). */
  kickOutbox: () => void;
}
