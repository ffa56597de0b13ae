import type { TicketsModels } from './models';
import type { TicketWriter } from './TicketWriter';

/** What the resolvers need; built once by createTicketsService. */
export interface TicketsDeps {
  models: TicketsModels;
  writer: TicketWriter;
  /** Asks the outbox relay to publish now (after a write that added an event). */
  kickOutbox: () => void;
}
