import { OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/events';
import { Types } from 'mongoose';
import { decideOnOrderEvent } from './decisions';
import type { TicketDoc } from './models';
import { newTicket } from './newTicket';

// What order events do to a ticket, in any order and any number of times (at-least-once delivery).

const ticket = (over: Partial<TicketDoc> = {}): TicketDoc => ({
  ...newTicket({ _id: new Types.ObjectId(), title: 'Opera', priceCents: 1000, sellerId: 'seller' }),
  outbox: [],
  ...over,
});
const expiresAt = '2030-01-01T00:00:00.000Z';
const created = (orderId: string) =>
  OrderCreated.create({
    aggregateId: orderId,
    aggregateVersion: 1,
    data: { ticketId: 't', buyerId: 'b', priceCents: 1000, expiresAt },
  });
const cancelled = (orderId: string) =>
  OrderCancelled.create({
    aggregateId: orderId,
    aggregateVersion: 2,
    data: { ticketId: 't', buyerId: 'b', reason: 'cancelled' },
  });
const completed = (orderId: string) =>
  OrderCompleted.create({
    aggregateId: orderId,
    aggregateVersion: 2,
    data: { ticketId: 't', buyerId: 'b', paymentId: 'p' },
  });

test('OrderCreated reserves until expiresAt; a replay changes nothing', () => {
  expect(decideOnOrderEvent(ticket(), created('a'))).toEqual({
    status: 'RESERVED',
    orderId: 'a',
    reservedUntil: new Date(expiresAt),
  });
  const reserved = ticket({ status: 'RESERVED', orderId: 'a', reservedUntil: new Date(expiresAt) });
  expect(decideOnOrderEvent(reserved, created('a'))).toBeNull();
});

test('OrderCancelled frees the ticket only when it names the order holding it', () => {
  const heldByB = ticket({ status: 'RESERVED', orderId: 'b', reservedUntil: new Date(expiresAt) });
  // A's cancellation (stale, or late) leaves B's reservation alone and remembers A as closed.
  expect(decideOnOrderEvent(heldByB, cancelled('a'))).toEqual({ closedOrderIds: ['a'] });
  expect(decideOnOrderEvent(heldByB, cancelled('b'))).toEqual({
    status: 'AVAILABLE',
    orderId: null,
    reservedUntil: null,
    closedOrderIds: ['b'],
  });
});

test('an OrderCreated arriving after its own cancellation never reserves again', () => {
  const afterCancel = ticket({ closedOrderIds: ['a'] });
  expect(decideOnOrderEvent(afterCancel, created('a'))).toBeNull();
});

test('OrderCompleted sells; nothing reserves or frees a sold ticket afterwards', () => {
  const sold = { status: 'SOLD' as const, orderId: 'a', reservedUntil: null, closedOrderIds: ['a'] };
  expect(decideOnOrderEvent(ticket({ status: 'RESERVED', orderId: 'a' }), completed('a'))).toEqual(sold);
  const soldTicket = ticket(sold);
  expect(decideOnOrderEvent(soldTicket, completed('a'))).toBeNull();
  expect(decideOnOrderEvent(soldTicket, created('c'))).toBeNull();
  expect(decideOnOrderEvent(soldTicket, cancelled('a'))).toBeNull();
});
