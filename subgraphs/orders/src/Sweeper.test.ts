import { eventually, useTestDatabase } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { type OrderDoc, registerModels } from './models';
import { newOrder } from './newOrder';
import { OrderLifecycle } from './OrderLifecycle';
import { Sweeper } from './Sweeper';

// The sweeper on the real FerretDB: which unpaid orders it cancels and when, between its full
// passes (by the minute an order expires in) and on them (every active order).

const database = useTestDatabase('sweeper', registerModels);
let now = new Date();
const clock = () => now;

beforeEach(() => {
  now = new Date();
});

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function sweeper(options: { now?: () => Date; intervalMs?: number } = {}) {
  const at = options.now ?? clock;
  return new Sweeper({
    models: database.models,
    lifecycle: new OrderLifecycle(database.models, () => undefined, at),
    intervalMs: options.intervalMs ?? 60 * MINUTE,
    orphanGraceMs: 30 * SECOND,
    fullPassIntervalMs: 60 * MINUTE,
    now: at,
  });
}

/** An unpaid order holding its ticket's lock, expiring `inMs` from now. */
async function givenOrder(inMs: number, { legacy = false } = {}) {
  const _id = new Types.ObjectId();
  const ticketId = new Types.ObjectId().toHexString();
  const doc = newOrder({
    _id,
    ticketId,
    buyerId: `buyer-${ticketId}`,
    priceCents: 1500,
    currency: 'USD',
    expiresAt: new Date(now.getTime() + inMs),
    createdAt: now,
  });
  await database.models.locks.insertOne({ _id: ticketId, orderId: _id.toHexString(), at: now, sold: false });
  // An order written by a version from before expiresMinute has none.
  if (legacy) delete doc.expiresMinute;
  await database.models.Orders.create(doc);
  return { _id, ticketId };
}

const statusOf = async (id: Types.ObjectId) =>
  (await database.models.Orders.findById(id).lean<OrderDoc>())?.status;
const lockOf = (ticketId: string) => database.models.locks.findOne({ _id: ticketId });

test('between full passes, an order is cancelled once due and its ticket freed; one not yet due is left', async () => {
  const s = sweeper();
  await s.sweep();
  const due = await givenOrder(90 * SECOND);
  const later = await givenOrder(20 * MINUTE);
  now = new Date(now.getTime() + 60 * SECOND);
  await s.sweepRecent();
  expect(await statusOf(due._id)).toBe('CREATED'); // 30 seconds to go

  now = new Date(now.getTime() + 2 * MINUTE);
  expect(await s.sweepRecent()).toBeGreaterThanOrEqual(1);
  expect(await statusOf(due._id)).toBe('CANCELLED');
  expect(await lockOf(due.ticketId)).toBeNull();
  expect(await statusOf(later._id)).toBe('CREATED');
  expect(await lockOf(later.ticketId)).toMatchObject({ sold: false });
});

test('an order written without expiresMinute (an older version) is cancelled by the next full pass', async () => {
  const s = sweeper();
  await s.sweep();
  const legacy = await givenOrder(10 * SECOND, { legacy: true });
  now = new Date(now.getTime() + MINUTE);
  await s.sweepRecent(); // by the minute: it has none
  expect(await statusOf(legacy._id)).toBe('CREATED');
  await s.sweep();
  expect(await statusOf(legacy._id)).toBe('CANCELLED');
  expect(await lockOf(legacy.ticketId)).toBeNull();
});

test('after a gap of many minutes the sweep falls back to a full pass', async () => {
  const s = sweeper();
  await s.sweep();
  const legacy = await givenOrder(10 * SECOND, { legacy: true });
  now = new Date(now.getTime() + 30 * MINUTE);
  await s.sweepRecent();
  expect(await statusOf(legacy._id)).toBe('CANCELLED');
});

test('started, it cancels an order soon after it is due, with no expiration job', async () => {
  const s = sweeper({ now: () => new Date(), intervalMs: 100 }).start();
  try {
    const soon = await givenOrder(300);
    // The order is cancelled first and its lock let go right after, by the same sweep.
    await eventually(
      async () => (await statusOf(soon._id)) === 'CANCELLED' && (await lockOf(soon.ticketId)) === null,
      5_000,
    );
  } finally {
    await s.stop();
  }
});
