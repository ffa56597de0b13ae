import type { OrderStatus, TicketStatus } from '@ticketing/events';
import type { TicketCopy } from './models';

export interface TicketSeen {
  status: TicketStatus;
  reservedUntil: Date | null;
}

/**
 * A ticket's status as its order leaves it: sold once the order is complete, reserved until the
 * order's expiry while the order is active; otherwise as orders' copy of the ticket last heard
 * (null: the copy must be read).
 */
export function ticketSeenByOrder(
  order: { status: OrderStatus; expiresAt: Date },
  now: Date,
): TicketSeen | null {
  if (order.status === 'COMPLETE') return { status: 'SOLD', reservedUntil: null };
  const active = order.status === 'CREATED' || order.status === 'AWAITING_PAYMENT';
  if (active && order.expiresAt.getTime() > now.getTime())
    return { status: 'RESERVED', reservedUntil: order.expiresAt };
  return null;
}

/** The ticket as orders' copy of it says (a copy from before orders kept the status: AVAILABLE). */
export const ticketSeenByCopy = (copy: TicketCopy | null): TicketSeen => ({
  status: copy?.status ?? 'AVAILABLE',
  reservedUntil: copy?.reservedUntil ?? null,
});
