import type { WithOutbox } from '@ticketing/events';
import type { TicketDoc } from './models';

/** A ticket as its seller lists it: available, never ordered, at version 1; its events added by the caller. */
export function newTicket(
  fields: Pick<TicketDoc, '_id' | 'title' | 'priceCents' | 'currency' | 'sellerId'>,
): Omit<TicketDoc, keyof WithOutbox> {
  return {
    ...fields,
    status: 'AVAILABLE',
    reservedUntil: null,
    orderId: null,
    closedOrderIds: [],
    version: 1,
    createdAt: new Date(),
  };
}
