import { toMoney } from '@ticketing/kit/graphql';
import { storedCurrency, toDeprecatedFloat } from '@ticketing/kit/money';
import type { ListedTicket } from './ListingIndex';
import type { TicketDoc } from './models';
import { type Ticket, User } from './types';

/** The fields of a stored ticket the listing keeps (projection for the listing's one read at start). */
export const LISTED_FIELDS = {
  title: 1,
  priceCents: 1,
  currency: 1,
  sellerId: 1,
  status: 1,
  reservedUntil: 1,
  version: 1,
  createdAt: 1,
} as const;

export type ListedDoc = Pick<TicketDoc, '_id' | keyof typeof LISTED_FIELDS>;

/** A stored ticket as the listing keeps it. */
export const listedTicket = (doc: ListedDoc): ListedTicket => ({
  id: doc._id.toHexString(),
  createdAt: doc.createdAt,
  title: doc.title,
  priceCents: doc.priceCents,
  currency: storedCurrency(doc.currency),
  sellerId: doc.sellerId,
  status: doc.status,
  reservedUntil: doc.reservedUntil ?? null,
  version: doc.version,
});

/** The API's view of a listed ticket (as `toTicket` of the stored one). */
export const ticketOfListed = (t: ListedTicket): Ticket => ({
  id: t.id,
  title: t.title,
  price: toDeprecatedFloat(t.priceCents, t.currency),
  priceMoney: toMoney(t.priceCents, t.currency),
  seller: Object.assign(new User(), { id: t.sellerId }),
  status: t.status,
  reservedUntil: t.reservedUntil,
  version: t.version,
  createdAt: t.createdAt,
});
