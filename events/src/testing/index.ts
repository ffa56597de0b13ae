// Helpers for tests, as @ticketing/events/testing; never built, never imported by production code.
// `eventually` is kit's, here too so that a test of events finds its helpers in one place.
export { eventually } from '@ticketing/kit/testing';
export { ticketCreated, ticketEvent, ticketRenamed } from './sampleTicketEvents';
export { dropTestStreams, testStream } from './testStream';
export {
  type OutboxListing,
  type OutboxModels,
  type OutboxTicket,
  ticketSchema,
  useOutboxModels,
} from './useOutboxModels';
export { natsUrl, useTestEvents } from './useTestEvents';
export { within } from './within';
