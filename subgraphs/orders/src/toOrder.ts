import { toMoney } from '@ticketing/kit/graphql';
import { storedCurrency, toDeprecatedFloat } from '@ticketing/kit/money';
import type { OrderDoc } from './models';
import { Order, Ticket, User } from './types';

/** The API's view of a stored order. */
export function toOrder(doc: OrderDoc): Order {
  const currency = storedCurrency(doc.currency);
  return Object.assign(new Order(), {
    id: doc._id.toHexString(),
    status: doc.status,
    ticket: Object.assign(new Ticket(), {
      id: doc.ticketId,
      order: { id: doc._id.toHexString(), status: doc.status, expiresAt: doc.expiresAt },
    }),
    buyer: Object.assign(new User(), { id: doc.buyerId }),
    expiresAt: doc.expiresAt,
    price: toDeprecatedFloat(doc.priceCents, currency),
    priceMoney: toMoney(doc.priceCents, currency),
    cancelReason: doc.cancelReason ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
  });
}
