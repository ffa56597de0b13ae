import { toMoney } from '@ticketing/kit/graphql';
import { storedCurrency, toDeprecatedFloat } from '@ticketing/kit/money';
import type { TicketDoc } from './models';
import { type Ticket, User } from './types';

/** The API's view of a stored ticket. */
export function toTicket(doc: TicketDoc): Ticket {
  const currency = storedCurrency(doc.currency);
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    price: toDeprecatedFloat(doc.priceCents, currency),
    priceMoney: toMoney(doc.priceCents, currency),
    seller: Object.assign(new User(), { id: doc.sellerId }),
    status: doc.status,
    reservedUntil: doc.reservedUntil ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
  };
}
