import { OrderCreated } from '@ticketing/events';
import { Types } from 'mongoose';
import { decideOnOrderEvent } from './decisions';
import type { TicketDoc } from './models';

// A lock that expired and was taken by the next buyer: the new order's OrderCreated may arrive
// before the old order's OrderCancelled. The ticket follows the new order at once.

const reservedBy = (orderId: string): TicketDoc => ({
  _id: new Types.ObjectId(),
  title: 'Opera',
  priceCents: 1000,
  sellerId: 'seller',
  status: 'RESERVED',
  reservedUntil: new Date('2030-01-01T00:00:00.000Z'),
  orderId,
  closedOrderIds: [],
  version: 2,
  createdAt: new Date(),
  outbox: [],
});
const created = (orderId: string, expiresAt: string) =>
  OrderCreated.create({
    aggregateId: orderId,
    aggregateVersion: 1,
    data: { ticketId: 't', buyerId: 'b', priceCents: 1000, expiresAt },
  });

test('given a ticket reserved by an old order, the next order reserves it until its own expiry', () => {
  expect(decideOnOrderEvent(reservedBy('old'), created('new', '2030-01-01T00:15:00.000Z'))).toEqual({
    status: 'RESERVED',
    orderId: 'new',
    reservedUntil: new Date('2030-01-01T00:15:00.000Z'),
  });
});

test('given a ticket reserved by an order, a replay of that order changes nothing', () => {
  expect(decideOnOrderEvent(reservedBy('same'), created('same', '2030-01-01T00:00:00.000Z'))).toBeNull();
});
