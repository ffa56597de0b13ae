import type { DomainEvent } from '@ticketing/events';
import { useTestDatabase } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import type { OrderTransition } from './decisions';
import { type LockDoc, type OrderDoc, registerModels } from './models';
import { newOrder } from './newOrder';
import { OrderLifecycle } from './OrderLifecycle';

// The order and its ticket's lock as they move together, on the real FerretDB: what a buyer sees of
// the order, what the ticket's lock becomes, and what is announced. No NATS: the events are read in
// the order's outbox, as the relay would publish them.

const database = useTestDatabase('order_lifecycle', registerModels);
let lifecycle: OrderLifecycle;
let now = new Date();
let kicks = 0;

beforeAll(() => {
  lifecycle = new OrderLifecycle(
    database.models,
    () => kicks++,
    () => now,
  );
});
beforeEach(() => {
  now = new Date();
});

const MINUTE = 60_000;

/** An order holding its ticket's lock and one of its buyer's slots, as createOrder leaves it. */
async function givenOrder(ticketId = new Types.ObjectId().toHexString()) {
  const _id = new Types.ObjectId();
  const orderId = _id.toHexString();
  const buyerId = `buyer-${orderId}`;
  const slot = `${buyerId}:0`;
  const doc = newOrder({
    _id,
    ticketId,
    buyerId,
    priceCents: 1500,
    currency: 'USD',
    expiresAt: new Date(now.getTime() + 15 * MINUTE),
    createdAt: now,
  });
  await database.models.locks.insertOne({ _id: ticketId, orderId, at: now, sold: false });
  await database.models.slots.insertOne({ _id: slot, orderId, at: now });
  await database.models.Orders.create({ ...doc, slot });
  return { _id, orderId, ticketId, buyerId, slot };
}

const lockOf = (ticketId: string) => database.models.locks.findOne({ _id: ticketId });
const slotExists = async (slot: string) => (await database.models.slots.findOne({ _id: slot })) !== null;
/** The events the order announced, as published: type, version and data. */
async function announced(orderId: string) {
  const doc = await database.models.Orders.findById(orderId).lean<OrderDoc>();
  return (doc?.outbox ?? []).map((e) => {
    const event = JSON.parse(e.event) as DomainEvent<string, Record<string, unknown>>;
    return [event.type, event.aggregateVersion, event.data];
  });
}
const to = (t: OrderTransition) => () => t;

test('a payment attempt, its decline and a paid attempt: each announced with the order as it is', async () => {
  const o = await givenOrder();
  const base = { ticketId: o.ticketId, buyerId: o.buyerId };
  const kicksBefore = kicks;

  const awaiting = await lifecycle.transition(o._id, to({ status: 'AWAITING_PAYMENT', attemptId: 'pay-1' }));
  expect(awaiting).toMatchObject({ status: 'AWAITING_PAYMENT', attemptId: 'pay-1', version: 2 });
  const declined = await lifecycle.transition(o._id, to({ status: 'CREATED', settled: 'pay-1' }));
  expect(declined).toMatchObject({
    status: 'CREATED',
    attemptId: null,
    settledAttemptIds: ['pay-1'],
    version: 3,
  });
  // A late decline of an attempt not awaited: remembered, not announced.
  const late = await lifecycle.transition(o._id, to({ status: 'UNCHANGED', settled: 'pay-0' }));
  expect(late).toMatchObject({ status: 'CREATED', settledAttemptIds: ['pay-1', 'pay-0'], version: 4 });
  const paid = await lifecycle.transition(o._id, to({ status: 'COMPLETE', paymentId: 'pay-2' }));
  expect(paid).toMatchObject({ status: 'COMPLETE', paymentId: 'pay-2', version: 5 });
  expect(kicks - kicksBefore).toBe(4);

  expect((await announced(o.orderId)).slice(1)).toEqual([
    ['OrderPaymentUpdated', 2, { ...base, status: 'AWAITING_PAYMENT', paymentId: 'pay-1' }],
    ['OrderPaymentUpdated', 3, { ...base, status: 'CREATED', paymentId: 'pay-1' }],
    ['OrderCompleted', 5, { ...base, paymentId: 'pay-2' }],
  ]);
  // Paid: the ticket stays locked, sold, and the buyer's slot is free for another order.
  expect(await lockOf(o.ticketId)).toMatchObject({ orderId: o.orderId, sold: true });
  expect(await slotExists(o.slot)).toBe(false);
});

test('while a payment is awaited the order keeps its lock and its slot', async () => {
  const o = await givenOrder();
  await lifecycle.transition(o._id, to({ status: 'AWAITING_PAYMENT', attemptId: 'pay-1' }));
  expect(await lockOf(o.ticketId)).toMatchObject({ orderId: o.orderId, sold: false });
  expect(await slotExists(o.slot)).toBe(true);
});

test('a cancelled order frees its ticket and its slot, announced with the reason', async () => {
  const o = await givenOrder();
  const cancelled = await lifecycle.transition(o._id, to({ status: 'CANCELLED', reason: 'cancelled' }));
  expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'cancelled', version: 2 });
  expect(await lockOf(o.ticketId)).toBeNull();
  expect(await slotExists(o.slot)).toBe(false);
  expect((await announced(o.orderId)).at(-1)).toEqual([
    'OrderCancelled',
    2,
    { ticketId: o.ticketId, buyerId: o.buyerId, reason: 'cancelled' },
  ]);
});

test('a cancelled order never frees a lock or a slot another order holds now', async () => {
  const o = await givenOrder();
  // The sweeper freed them meanwhile, and another order took both.
  const other = new Types.ObjectId().toHexString();
  await database.models.locks.replaceOne({ _id: o.ticketId }, { orderId: other, at: now, sold: false });
  await database.models.slots.replaceOne({ _id: o.slot }, { orderId: other, at: now });
  await lifecycle.transition(o._id, to({ status: 'CANCELLED', reason: 'expired' }));
  expect(await lockOf(o.ticketId)).toMatchObject({ orderId: other, sold: false });
  expect(await slotExists(o.slot)).toBe(true);

  const p = await givenOrder();
  await database.models.locks.replaceOne({ _id: p.ticketId }, { orderId: other, at: now, sold: false });
  await lifecycle.transition(p._id, to({ status: 'COMPLETE', paymentId: 'pay-1' }));
  expect(await lockOf(p.ticketId)).toMatchObject({ orderId: other, sold: false });
});

test('a final order never moves again: a transition of it is refused and changes nothing', async () => {
  const o = await givenOrder();
  await lifecycle.transition(o._id, to({ status: 'CANCELLED', reason: 'expired' }));
  await expect(lifecycle.transition(o._id, to({ status: 'COMPLETE', paymentId: 'pay-1' }))).rejects.toThrow(
    `order ${o.orderId} is CANCELLED: final`,
  );
  expect(await database.models.Orders.findById(o._id).lean()).toMatchObject({
    status: 'CANCELLED',
    version: 2,
  });
  expect(await announced(o.orderId)).toHaveLength(2);
});

test('a decision may answer nothing (the order as it is) or an error (thrown), writing nothing', async () => {
  const o = await givenOrder();
  const kicksBefore = kicks;
  expect(await lifecycle.transition(o._id, () => null)).toMatchObject({ status: 'CREATED', version: 1 });
  const refused = new Error('Only the buyer can cancel this order');
  await expect(lifecycle.transition(o._id, () => refused)).rejects.toBe(refused);
  expect(await database.models.Orders.findById(o._id).lean()).toMatchObject({
    status: 'CREATED',
    version: 1,
  });
  expect(await lockOf(o.ticketId)).toMatchObject({ orderId: o.orderId, sold: false });
  expect(kicks).toBe(kicksBefore);
});

test('an unknown order is null, whatever the decision', async () => {
  expect(
    await lifecycle.transition(new Types.ObjectId(), to({ status: 'CANCELLED', reason: 'cancelled' })),
  ).toBeNull();
  expect(await lifecycle.expire(new Types.ObjectId())).toBeNull();
});

test('expiry cancels an order not yet due only when the expiration worker says so, never the sweeper', async () => {
  const o = await givenOrder();
  expect(await lifecycle.expire(o._id, true)).toMatchObject({ status: 'CREATED', version: 1 });
  expect(await lockOf(o.ticketId)).not.toBeNull();
  now = new Date(now.getTime() + 16 * MINUTE);
  expect(await lifecycle.expire(o._id, true)).toMatchObject({ status: 'CANCELLED', cancelReason: 'expired' });
  expect(await lockOf(o.ticketId)).toBeNull();

  const p = await givenOrder();
  expect(await lifecycle.expire(p._id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'expired' });
  expect(await lockOf(p.ticketId)).toBeNull();
});

test('transitions of one ticket run one at a time: the second sees what the first wrote', async () => {
  const o = await givenOrder();
  const seen: string[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const first = lifecycle.exclusive(o.ticketId, async () => {
    await held;
    seen.push('first');
  });
  const second = lifecycle.transition(o._id, (doc) => {
    seen.push(`second read ${doc.status}`);
    return null;
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(seen).toEqual([]);
  release();
  await Promise.all([first, second]);
  // It decides within the section only (on its first read, then on a fresh one when that asks for nothing).
  expect(seen[0]).toBe('first');
  expect(new Set(seen.slice(1))).toEqual(new Set(['second read CREATED']));
});

describe('releaseIfStale (the sweeper)', () => {
  const lock = async (ticketId: string) => (await lockOf(ticketId)) as LockDoc;

  test("a paid order's lock is kept and marked sold", async () => {
    const o = await givenOrder();
    await database.models.Orders.updateOne({ _id: o._id }, { $set: { status: 'COMPLETE' } });
    expect(await lifecycle.releaseIfStale(await lock(o.ticketId), 0)).toBe(false);
    expect(await lockOf(o.ticketId)).toMatchObject({ orderId: o.orderId, sold: true });
  });

  test("a cancelled order's lock is deleted", async () => {
    const o = await givenOrder();
    await database.models.Orders.updateOne({ _id: o._id }, { $set: { status: 'CANCELLED' } });
    expect(await lifecycle.releaseIfStale(await lock(o.ticketId), 10 * MINUTE)).toBe(true);
    expect(await lockOf(o.ticketId)).toBeNull();
  });

  test("an active order's lock is kept, however old", async () => {
    const o = await givenOrder();
    now = new Date(now.getTime() + 60 * MINUTE);
    expect(await lifecycle.releaseIfStale(await lock(o.ticketId), MINUTE)).toBe(false);
    expect(await lockOf(o.ticketId)).toMatchObject({ orderId: o.orderId, sold: false });
  });

  test('a lock whose order never came is deleted once the grace is over, not before', async () => {
    const ticketId = new Types.ObjectId().toHexString();
    const at = now;
    await database.models.locks.insertOne({
      _id: ticketId,
      orderId: new Types.ObjectId().toHexString(),
      at,
      sold: false,
    });
    now = new Date(at.getTime() + MINUTE - 1);
    expect(await lifecycle.releaseIfStale(await lock(ticketId), MINUTE)).toBe(false);
    expect(await lockOf(ticketId)).not.toBeNull();
    now = new Date(at.getTime() + MINUTE);
    expect(await lifecycle.releaseIfStale(await lock(ticketId), MINUTE)).toBe(true);
    expect(await lockOf(ticketId)).toBeNull();
  });

  test('a lock taken by another order since it was read is left alone', async () => {
    // This test's lock first in the collection: a write whose filter lost a condition would hit it.
    await database.models.locks.deleteMany({});
    const o = await givenOrder();
    await database.models.Orders.updateOne({ _id: o._id }, { $set: { status: 'CANCELLED' } });
    const read = await lock(o.ticketId);
    const other = new Types.ObjectId().toHexString();
    await database.models.locks.replaceOne({ _id: o.ticketId }, { orderId: other, at: now, sold: false });
    expect(await lifecycle.releaseIfStale(read, 0)).toBe(false);
    expect(await lockOf(o.ticketId)).toMatchObject({ orderId: other, sold: false });

    await database.models.Orders.updateOne({ _id: o._id }, { $set: { status: 'COMPLETE' } });
    expect(await lifecycle.releaseIfStale(read, 0)).toBe(false);
    expect(await lockOf(o.ticketId)).toMatchObject({ orderId: other, sold: false });
  });
});
