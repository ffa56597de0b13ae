import { TicketCreated, TicketUpdated } from '../catalogue';
import type { DomainEvent } from '../defineEvent';

// One ticket's events as tests write them (outbox, relay, the gateway's live updates): listed, then
// renamed version by version.

/** The ticket listed: its version 1. */
export const ticketCreated = (id: string): DomainEvent =>
  TicketCreated.create({
    aggregateId: id,
    aggregateVersion: 1,
    data: { title: 'Jazz', priceCents: 100, sellerId: 's' },
  });

/** The ticket renamed `v<version>`: any later version. */
export const ticketRenamed = (id: string, version: number): DomainEvent =>
  TicketUpdated.create({
    aggregateId: id,
    aggregateVersion: version,
    data: {
      title: `v${version}`,
      priceCents: 100,
      sellerId: 's',
      status: 'AVAILABLE',
      reservedUntil: null,
      orderId: null,
    },
  });

/** The ticket's event of `version`: listed at 1, renamed after. */
export const ticketEvent = (id: string, version: number): DomainEvent =>
  version === 1 ? ticketCreated(id) : ticketRenamed(id, version);
