import {
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
  type DomainEvent,
  OrderCancelled,
  OrderExpired,
  TicketCreated,
} from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { createOrdersService, type OrdersService } from './createOrdersService';
import type { OrderDoc } from './models';
import { newOrder } from './newOrder';
import { readOrdersSettings } from './settings';

// The orders subgraph alone, on real FerretDB and NATS: payment and expiry events published on its
// stream move its orders, in the order they come, whatever is late or replayed.

let orders: OrdersService;
beforeAll(async () => {
  orders = await createOrdersService({
    settings: readOrdersSettings({ ...process.env, PORT: '0' }),
    dbName: testDatabaseName('orders_events'),
    events: { stream: testStream('orders_events') },
  });
});
afterAll(async () => {
  await orders.models.Orders.db.dropDatabase();
  await dropTestStreams(orders.events);
  await orders.stop();
});

/** An order holding its ticket's lock, as createOrder leaves it. */
async function givenOrder(): Promise<string> {
  const _id = new Types.ObjectId();
  const ticketId = new Types.ObjectId().toHexString();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 15 * 60_000);
  const doc = newOrder({
    _id,
    ticketId,
    buyerId: 'buyer',
    priceCents: 1500,
    currency: 'USD',
    expiresAt,
    createdAt: now,
  });
  await orders.models.locks.insertOne({ _id: ticketId, orderId: _id.toHexString(), at: now, sold: false });
  await orders.models.Orders.create(doc);
  return _id.toHexString();
}

const read = (id: string) => orders.models.Orders.findById(id).lean<OrderDoc>();
const publish = (event: DomainEvent) => orders.events.publisher.publish(event);
/** Waits until the order reaches `version`: every event before the last one published was handled. */
const atVersion = (id: string, version: number) =>
  eventually(async () => {
    const doc = await read(id);
    return doc && doc.version >= version ? doc : undefined;
  });

/** Events are handled one after the other: once a ticket published now is projected, all before it were handled. */
async function handledSoFar(): Promise<void> {
  const ticketId = new Types.ObjectId().toHexString();
  await publish(
    TicketCreated.create({
      aggregateId: ticketId,
      aggregateVersion: 1,
      data: { title: 'marker', priceCents: 1, sellerId: 's' },
    }),
  );
  await eventually(() => orders.models.tickets.findOne({ _id: ticketId }));
}

const payment = (orderId: string) => {
  const id = new Types.ObjectId().toHexString();
  return {
    id,
    attempted: () =>
      ChargeAttempted.create({
        aggregateId: id,
        aggregateVersion: 1,
        data: { orderId, amountCents: 1500, attempt: 1 },
      }),
    declined: (final: boolean) =>
      ChargeFailed.create({
        aggregateId: id,
        aggregateVersion: 2,
        data: { orderId, reason: 'card_declined', attempts: final ? 3 : 1, final },
      }),
    charged: () =>
      ChargeCreated.create({
        aggregateId: id,
        aggregateVersion: 2,
        data: { orderId, amountCents: 1500, stripeId: 'pi_1' },
      }),
  };
};

test('an attempt makes the order AWAITING_PAYMENT, its decline CREATED again; a replayed attempt changes nothing', async () => {
  const id = await givenOrder();
  const p1 = payment(id);
  const p2 = payment(id);

  await publish(p1.attempted());
  expect(await atVersion(id, 2)).toMatchObject({ status: 'AWAITING_PAYMENT', attemptId: p1.id });

  await publish(p1.declined(false));
  expect(await atVersion(id, 3)).toMatchObject({
    status: 'CREATED',
    attemptId: null,
    settledAttemptIds: [p1.id],
  });

  // The first attempt's event again (a redelivery) changes nothing; a second attempt is awaited.
  await publish(p1.attempted());
  await handledSoFar();
  expect(await read(id)).toMatchObject({ status: 'CREATED', version: 3 });
  await publish(p2.attempted());
  expect(await atVersion(id, 4)).toMatchObject({ status: 'AWAITING_PAYMENT', attemptId: p2.id });

  await publish(p2.charged());
  const paid = await atVersion(id, 5);
  expect(paid).toMatchObject({ status: 'COMPLETE', paymentId: p2.id, attemptId: null });
  // Every move announced, in version order (live views follow it): awaiting, declined, awaiting, paid.
  expect(paid.outbox.map((e) => [e.type, e.aggregateVersion])).toEqual([
    ['OrderCreated', 1],
    ['OrderPaymentUpdated', 2],
    ['OrderPaymentUpdated', 3],
    ['OrderPaymentUpdated', 4],
    ['OrderCompleted', 5],
  ]);
  const moves = paid.outbox.map((e) => JSON.parse(e.event) as DomainEvent<string, { status?: string }>);
  expect(moves.slice(1, 4).map((e) => e.data.status)).toEqual([
    'AWAITING_PAYMENT',
    'CREATED',
    'AWAITING_PAYMENT',
  ]);
  // The lock is settled just after the order is written: wait for it rather than race it.
  const sold = await eventually(
    async () => (await orders.models.locks.findOne({ _id: paid.ticketId }))?.sold,
  );
  expect(sold).toBe(true);
});

test('an order awaiting a payment expires all the same; the late success leaves it cancelled', async () => {
  const id = await givenOrder();
  const p1 = payment(id);
  await publish(p1.attempted());
  await atVersion(id, 2);

  await publish(
    OrderExpired.create({
      aggregateId: id,
      aggregateVersion: 1,
      data: { expiresAt: new Date().toISOString() },
    }),
  );
  const expired = await atVersion(id, 3);
  expect(expired).toMatchObject({ status: 'CANCELLED', cancelReason: 'expired' });
  const freed = await eventually(
    async () => (await orders.models.locks.findOne({ _id: expired.ticketId })) === null,
  );
  expect(freed).toBe(true);

  // Payments refunds a charge for a cancelled order; orders keeps it cancelled and announces nothing.
  await publish(p1.charged());
  await publish(p1.attempted());
  await publish(payment(id).declined(true));
  await handledSoFar();
  const after = await read(id);
  expect(after).toMatchObject({ status: 'CANCELLED', cancelReason: 'expired', version: 3 });
  const cancelled = after?.outbox.map((e) => JSON.parse(e.event) as DomainEvent) ?? [];
  expect(cancelled.map((e) => [e.type, e.aggregateVersion])).toEqual([
    ['OrderCreated', 1],
    ['OrderPaymentUpdated', 2],
    [OrderCancelled.type, 3],
  ]);
});
