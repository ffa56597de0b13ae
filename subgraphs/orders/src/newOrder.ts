import { OrderCreated, outboxFields } from '@ticketing/events';
import type { CurrencyCode } from '@ticketing/kit/money';
import { expiryMinuteOf, type OrderDoc } from './models';

export type NewOrderFields = Pick<
  OrderDoc,
  '_id' | 'ticketId' | 'buyerId' | 'priceCents' | 'expiresAt' | 'createdAt'
> & { currency: CurrencyCode };

/** An order as createOrder writes it: CREATED, version 1, nothing paid or attempted, OrderCreated in its outbox. */
export function newOrder(fields: NewOrderFields): OrderDoc {
  const { _id, ticketId, buyerId, priceCents, currency, expiresAt } = fields;
  const event = OrderCreated.create({
    aggregateId: _id.toHexString(),
    aggregateVersion: 1,
    data: { ticketId, buyerId, priceCents, currency, expiresAt: expiresAt.toISOString() },
  });
  return {
    ...fields,
    expiresMinute: expiryMinuteOf(expiresAt),
    status: 'CREATED',
    cancelReason: null,
    paymentId: null,
    attemptId: null,
    settledAttemptIds: [],
    version: 1,
    ...outboxFields(event),
  };
}
