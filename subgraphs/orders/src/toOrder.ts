import type { OrderDoc } from './models';
import { Order, Ticket, User } from './types';

/** The API's view of a stored order. */
export function toOrder(doc: OrderDoc): Order {
  return Object.assign(new Order(), {
    id: doc._id.toHexString(),
    status: doc.status,
    ticket: Object.assign(new Ticket(), {
      id: doc.ticketId,
      order: { id: doc._id.toHexString(), status: doc.status, expiresAt: doc.expiresAt },
    }),
    buyer: Object.assign(new User(), { id: doc.buyerId }),
    expiresAt: doc.expiresAt,
    price: doc.priceCents / 100,
    cancelReason: doc.cancelReason ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
  });
}
