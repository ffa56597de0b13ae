import { type EventOf, OrderExpired } from '@ticketing/events';
import { Redis } from 'ioredis';
import {
  type Account,
  createOrder,
  createTicket,
  eventually,
  type OrderView,
  readOrder,
  readTicket,
  signUp,
  type TicketView,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 5, point 3: with ORDER_EXPIRATION_SECONDS=5 an unpaid order is CANCELLED and its ticket
// AVAILABLE within 2 seconds after expiresAt, and another user can then buy it; the same when
// Redis lost the expiration jobs in between (the sweeper of orders is the net).

const EXPIRATION_SECONDS = 5;
const GRACE_MS = 2_000;

let stack: TestStack;
let redis: Redis;
let seller: Account;
let buyer: Account;
let next: Account;
const expired = new Map<string, EventOf<typeof OrderExpired>>();

beforeAll(async () => {
  stack = await startTestStack(
    'gw_expiry',
    { ORDER_EXPIRATION_SECONDS: String(EXPIRATION_SECONDS), ORDER_SWEEP_INTERVAL_MS: '250' },
    { expiration: true, payments: false },
  );
  redis = new Redis(stack.settings.REDIS_URL);
  [seller, buyer, next] = await Promise.all([
    signUp(url(), 'seller'),
    signUp(url(), 'buyer'),
    signUp(url(), 'next'),
  ]);
  // Watches what the expiration worker announces (a consumer of the test's own).
  await stack.users.events.consume({
    durable: 'expiry_watch',
    events: [OrderExpired],
    handle: async (event) => {
      expired.set(event.aggregateId, event);
    },
  });
});
afterAll(async () => {
  redis.disconnect();
  await stack.stop();
});

const url = () => stack.gateway.url;

async function reservedTicket(): Promise<{ ticket: TicketView; order: OrderView }> {
  const ticket = await createTicket(url(), seller, 'Late show');
  await waitUntilOrderable(url(), seller, ticket.id);
  const r = await createOrder(url(), buyer, ticket.id);
  const order = r.data?.createOrder;
  if (!order) throw new Error(`createOrder failed: ${JSON.stringify(r.errors)}`);
  expect(Date.parse(order.expiresAt) - Date.now()).toBeLessThanOrEqual(EXPIRATION_SECONDS * 1000);
  await waitForTicket(url(), ticket.id, 'RESERVED');
  return { ticket, order };
}

/** Waits, at most until 2 s after expiresAt, for the order to be cancelled as expired and the ticket free. */
async function expectReleasedInTime(ticket: TicketView, order: OrderView) {
  const deadline = Date.parse(order.expiresAt) + GRACE_MS;
  await eventually(async () => {
    const o = await readOrder(url(), buyer, order.id);
    const t = await readTicket(url(), ticket.id);
    return o?.status === 'CANCELLED' && t?.status === 'AVAILABLE' ? true : undefined;
  }, deadline - Date.now());
  expect(await readOrder(url(), buyer, order.id)).toMatchObject({
    status: 'CANCELLED',
    cancelReason: 'EXPIRED',
  });
  const again = await createOrder(url(), next, ticket.id);
  expect(again.errors).toBeUndefined();
  expect(again.data?.createOrder.status).toBe('CREATED');
}

test('the expiration worker announces the expiry: cancelled and free within 2 s, then another user buys it', async () => {
  // The sweeper is paused, so only the worker's delayed job can release this one.
  await stack.orders?.sweeper.stop();
  try {
    const { ticket, order } = await reservedTicket();
    expect(await stack.expiration?.queue.getJob(order.id)).toBeDefined();
    await expectReleasedInTime(ticket, order);
    const announced = expired.get(order.id);
    expect(announced?.data.expiresAt).toBe(order.expiresAt);
    expect(Date.parse(announced?.occurredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(order.expiresAt));
  } finally {
    stack.orders?.sweeper.start();
  }
});

test('Redis flushed in between: the sweeper of orders still releases it within 2 s', async () => {
  const { ticket, order } = await reservedTicket();
  await eventually(async () => (await stack.expiration?.queue.getJob(order.id)) ?? undefined);

  // "Flushed": every key of this stack's BullMQ queue is gone (other tests share this Redis).
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [nextCursor, found] = await redis.scan(
      cursor,
      'MATCH',
      `${stack.redisPrefix}bull:*`,
      'COUNT',
      1000,
    );
    cursor = nextCursor;
    keys.push(...found);
  } while (cursor !== '0');
  expect(keys.length).toBeGreaterThan(0);
  await redis.del(...keys);
  expect(await stack.expiration?.queue.getJob(order.id)).toBeUndefined();

  await expectReleasedInTime(ticket, order);
  expect(expired.has(order.id)).toBe(false);
});
