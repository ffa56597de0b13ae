import type { TicketDoc } from './models';
import { type Ticket, User } from './types';

/** The API's view of a stored ticket. */
export function toTicket(doc: TicketDoc): Ticket {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    price: doc.priceCents / 100,
    seller: Object.assign(new User(), { id: doc.sellerId }),
    status: doc.status,
    reservedUntil: doc.reservedUntil ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
  };
}
