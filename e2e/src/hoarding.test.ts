import { signIdentity } from '@ticketing/kit/auth';
import { createOrdersService, type OrdersService, readOrdersSettings } from '@ticketing/orders';
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  signUp,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 14, point 7: one buyer holds at most MAX_ACTIVE_ORDERS_PER_BUYER active orders, decided
// across replicas; cancelling then re-ordering the same ticket waits REORDER_COOLDOWN_SECONDS.

const LIMITS = { MAX_ACTIVE_ORDERS_PER_BUYER: '5', REORDER_COOLDOWN_SECONDS: '60' };
let stack: TestStack;
let seller: Account;
beforeAll(async () => {
  stack = await startTestStack('hoarding', LIMITS, { payments: false });
  seller = await signUp(url(), 'seller');
});
afterAll(() => stack.stop());
const url = () => stack.gateway.url;

const tickets = async (n: number, title: string) => {
  const made = await Promise.all(
    Array.from({ length: n }, (_, i) => createTicket(url(), seller, `${title} ${i}`)),
  );
  for (const t of made) await waitUntilOrderable(url(), seller, t.id);
  return made;
};
const activeOrdersOf = (buyer: Account) =>
  stack.orders?.models.Orders.countDocuments({
    buyerId: buyer.id,
    status: { $in: ['CREATED', 'AWAITING_PAYMENT'] },
  });

test('10 concurrent orders by one buyer on 10 tickets: 5 are made, 5 refused with CONFLICT naming the limit', async () => {
  const buyer = await signUp(url(), 'hoarder');
  const ten = await tickets(10, 'Hoard');
  const replies = await Promise.all(ten.map((t) => createOrder(url(), buyer, t.id)));
  const made = replies.flatMap((r) => (r.data?.createOrder ? [r.data.createOrder] : []));
  const refused = replies.flatMap((r) => r.errors ?? []);
  expect(made).toHaveLength(5);
  expect(refused).toHaveLength(5);
  for (const e of refused) {
    expect(e.extensions).toMatchObject({ code: 'CONFLICT', limit: 'MAX_ACTIVE_ORDERS_PER_BUYER', max: 5 });
    expect(e.message).toBe(
      'You already have 5 active orders, the most one buyer may hold: pay or cancel one first',
    );
  }
  expect(await activeOrdersOf(buyer)).toBe(5);
  // A refused order holds nothing: another buyer orders each of those tickets at once.
  const other = await signUp(url(), 'patient');
  const untaken = ten.filter((t) => !made.some((o) => o.ticket.id === t.id)).slice(0, 2);
  for (const t of untaken) {
    const reply = await createOrder(url(), other, t.id);
    expect(reply.errors).toBeUndefined();
    expect((await cancelOrder(url(), other, reply.data?.createOrder.id ?? '')).errors).toBeUndefined();
  }

  // Cancelling one frees its place: the next order goes through, and the one after is refused again.
  expect((await cancelOrder(url(), buyer, made[0]?.id ?? '')).errors).toBeUndefined();
  const free = ten.filter((t) => !made.some((o) => o.ticket.id === t.id));
  expect((await createOrder(url(), buyer, free[0]?.id ?? '')).errors).toBeUndefined();
  expect((await createOrder(url(), buyer, free[1]?.id ?? '')).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await activeOrdersOf(buyer)).toBe(5);
});

test('across two orders replicas on one database, 10 concurrent orders by one buyer still make 5', async () => {
  const db = stack.orders?.models.Orders.db.name ?? '';
  const settings = readOrdersSettings({ ...process.env, PORT: '0', ...LIMITS });
  let replica: OrdersService | undefined;
  try {
    replica = await createOrdersService({ settings, dbName: db, events: { stream: stack.stream } });
    const urls = [stack.orders?.url ?? '', replica.url];
    const buyer = await signUp(url(), 'replicated');
    const token = signIdentity(
      { identity: { userId: buyer.id, via: 'session' } },
      stack.settings.INTERNAL_JWT_KEY,
    );
    const ten = await tickets(10, 'Replicated hoard');
    const replies = await Promise.all(
      ten.map(async (t, i) => {
        const res = await fetch(urls[i % 2] ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-identity': token },
          body: JSON.stringify({
            query: 'mutation ($id: ID!) { createOrder(ticketId: $id) { id } }',
            variables: { id: t.id },
          }),
        });
        return (await res.json()) as { data?: { createOrder: { id: string } } | null; errors?: unknown[] };
      }),
    );
    expect(replies.filter((r) => r.data?.createOrder)).toHaveLength(5);
    expect(await activeOrdersOf(buyer)).toBe(5);
  } finally {
    await replica?.stop();
  }
});

test('cancelling then re-ordering the same ticket at once is RATE_LIMITED for the cooldown; others may order it', async () => {
  const [buyer, other] = [await signUp(url(), 'flipper'), await signUp(url(), 'other')];
  const [ticket] = await tickets(1, 'Flip');
  const first = await createOrder(url(), buyer, ticket?.id ?? '');
  expect((await cancelOrder(url(), buyer, first.data?.createOrder.id ?? '')).errors).toBeUndefined();

  const again = await createOrder(url(), buyer, ticket?.id ?? '');
  const error = again.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'REORDER_COOLDOWN_SECONDS' });
  const wait = (error?.extensions as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 0;
  expect(wait).toBeGreaterThan(50);
  expect(wait).toBeLessThanOrEqual(60);
  expect(error?.message).toMatch(
    /^You cancelled an order for this ticket moments ago: you can order it again in \d+ seconds$/,
  );

  const theirs = await createOrder(url(), other, ticket?.id ?? '');
  expect(theirs.errors).toBeUndefined();
  expect(theirs.data?.createOrder.status).toBe('CREATED');
});

test('a cooldown that has ended is cleared by the sweeper and the buyer may order again; a running one stays', async () => {
  const buyer = await signUp(url(), 'returner');
  const [ticket] = await tickets(1, 'Return');
  const first = await createOrder(url(), buyer, ticket?.id ?? '');
  expect((await cancelOrder(url(), buyer, first.data?.createOrder.id ?? '')).errors).toBeUndefined();
  const orders = stack.orders;
  if (!orders) throw new Error('orders runs in this stack');
  const key = `${buyer.id}:${ticket?.id}`;
  await orders.sweeper.sweep();
  expect(await orders.models.cooldowns.findOne({ _id: key })).not.toBeNull();

  // The minute passes (its end moved back, as the clock would move on).
  await orders.models.cooldowns.updateOne({ _id: key }, { $set: { until: new Date(Date.now() - 1) } });
  await orders.sweeper.sweep();
  expect(await orders.models.cooldowns.findOne({ _id: key })).toBeNull();
  const again = await createOrder(url(), buyer, ticket?.id ?? '');
  expect(again.errors).toBeUndefined();
  expect(again.data?.createOrder.status).toBe('CREATED');
});
