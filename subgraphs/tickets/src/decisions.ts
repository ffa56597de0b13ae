import type { EventOf, OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/events';
import type { TicketDoc } from './models';
import type { TicketChange } from './TicketWriter';

export type OrderEvent =
  | EventOf<typeof OrderCreated>
  | EventOf<typeof OrderCancelled>
  | EventOf<typeof OrderCompleted>;

/** How many closed order ids a ticket remembers (to ignore their late or replayed events). */
const CLOSED_KEEP = 20;

const closing = (doc: TicketDoc, orderId: string) =>
  doc.closedOrderIds.includes(orderId)
    ? doc.closedOrderIds
    : [...doc.closedOrderIds, orderId].slice(-CLOSED_KEEP);

/**
 * What an order event does to its ticket. Idempotent (a replay changes nothing), and safe in any
 * order: a cancellation releases the ticket only when it names the order holding it now, and an
 * order that was cancelled or completed never reserves it again.
 */
export function decideOnOrderEvent(doc: TicketDoc, event: OrderEvent): TicketChange | null {
  const orderId = event.aggregateId;
  switch (event.type) {
    case 'OrderCreated': {
      // A withdrawn ticket is off sale: an order that raced the withdrawal does not reserve it.
      if (doc.status === 'SOLD' || doc.status === 'WITHDRAWN' || doc.closedOrderIds.includes(orderId))
        return null;
      const reservedUntil = new Date(event.data.expiresAt);
      if (doc.status === 'RESERVED' && doc.orderId === orderId) return null;
      return { status: 'RESERVED', orderId, reservedUntil };
    }
    case 'OrderCancelled': {
      if (doc.orderId !== orderId || doc.status !== 'RESERVED') {
        // Not the current holder: remember it, so its OrderCreated (if late) is ignored.
        return doc.closedOrderIds.includes(orderId) ? null : { closedOrderIds: closing(doc, orderId) };
      }
      return {
        status: 'AVAILABLE',
        orderId: null,
        reservedUntil: null,
        closedOrderIds: closing(doc, orderId),
      };
    }
    case 'OrderCompleted': {
      if (doc.status === 'SOLD' && doc.orderId === orderId) return null;
      return { status: 'SOLD', orderId, reservedUntil: null, closedOrderIds: closing(doc, orderId) };
    }
  }
}
