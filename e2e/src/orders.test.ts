import { ChargeFailed, OrderCancelled } from '@ticketing/events';
import { createOrdersService, readOrdersSettings } from '@ticketing/orders';
import { gql } from './gql';
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  ORDER_FIELDS,
  type OrderView,
  readOrder,
  readTicket,
  signUp,
  type TicketView,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 5 through the gateway: the orders rules (point 1), cancellation and stale cancellation
// (point 4), and ticket status following every order change (point 5).

let stack: TestStack;
let seller: Account;
let buyer: Account;
let rival: Account;
beforeAll(async () => {
  stack = await startTestStack('gw_orders');
  [seller, buyer, rival] = await Promise.all([
    signUp(url(), 'seller'),
    signUp(url(), 'buyer'),
    signUp(url(), 'rival'),
  ]);
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;
const SECOND = 1_000;

/** A fresh ticket that orders already knows about. */
async function listed(price = 25.5): Promise<TicketView> {
  const ticket = await createTicket(url(), seller, 'Jazz night', price);
  await waitUntilOrderable(url(), seller, ticket.id);
  return ticket;
}

async function order(who: Account, ticketId: string): Promise<OrderView> {
  const r = await createOrder(url(), who, ticketId);
  if (!r.data?.createOrder) throw new Error(`createOrder failed: ${JSON.stringify(r.errors)}`);
  return r.data.createOrder;
}

const pay = (who: Account, orderId: string) =>
  gql<{ payOrder: { status: string } }>(
    url(),
    'mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { status } }',
    { id: orderId },
    who,
  );

describe('createOrder', () => {
  test('locks the ticket for the buyer: CREATED, expiresAt 15 minutes on, at the price of that moment', async () => {
    const ticket = await listed(42.1);
    const before = Date.now();
    const o = await order(buyer, ticket.id);
    expect(o).toMatchObject({
      status: 'CREATED',
      price: 42.1,
      ticket: { id: ticket.id },
      buyer: { id: buyer.id },
    });
    const expiresIn = Date.parse(o.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(899 * SECOND);
    expect(expiresIn).toBeLessThanOrEqual(901 * SECOND);
  });

  test('signed out: UNAUTHENTICATED; an unknown or malformed ticket: NOT_FOUND', async () => {
    const ticket = await listed();
    const anonymous = await gql(url(), 'mutation ($id: ID!) { createOrder(ticketId: $id) { id } }', {
      id: ticket.id,
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const id of ['0123456789abcdef01234567', 'not-an-id', '']) {
      expect((await createOrder(url(), buyer, id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  test('a seller cannot buy their own ticket', async () => {
    const ticket = await listed();
    const r = await createOrder(url(), seller, ticket.id);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await readTicket(url(), ticket.id))?.status).toBe('AVAILABLE');
  });

  test('a reserved ticket: CONFLICT for the next buyer; a sold one: CONFLICT too', async () => {
    const ticket = await listed();
    const first = await order(buyer, ticket.id);
    expect((await createOrder(url(), rival, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await createOrder(url(), buyer, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');

    expect((await pay(buyer, first.id)).errors).toBeUndefined();
    await waitForTicket(url(), ticket.id, 'SOLD');
    expect((await createOrder(url(), rival, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('order(id), User.orders, Order.ticket and Order.buyer', () => {
  test('the buyer sees the order with its ticket and buyer resolved through the supergraph', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    const r = await gql<{
      order: { id: string; ticket: { title: string; seller: { id: string } }; buyer: { email: string } };
    }>(
      url(),
      'query ($id: ID!) { order(id: $id) { id ticket { title seller { id } } buyer { email } } }',
      { id: o.id },
      buyer,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.order).toEqual({
      id: o.id,
      ticket: { title: 'Jazz night', seller: { id: seller.id } },
      buyer: { email: expect.stringMatching(/^buyer\./) },
    });
  });

  test('anyone else gets no data: FORBIDDEN for another user, UNAUTHENTICATED signed out, NOT_FOUND for a bad id', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    const query = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
    const other = await gql(url(), query, { id: o.id }, rival);
    expect(other).toMatchObject({ data: { order: null }, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect((await gql(url(), query, { id: o.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const id of ['0123456789abcdef01234567', 'garbage']) {
      expect((await gql(url(), query, { id }, buyer)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  test('User.orders lists only the signed-in user their own orders', async () => {
    const ticket = await listed();
    const o = await order(rival, ticket.id);
    const mine = await gql<{ me: { orders: Array<{ id: string; buyer: { id: string } }> } }>(
      url(),
      'query { me { orders { id buyer { id } } } }',
      {},
      rival,
    );
    expect(mine.data?.me.orders.map((x) => x.id)).toContain(o.id);
    expect(mine.data?.me.orders.every((x) => x.buyer.id === rival.id)).toBe(true);

    // Another user's orders, reached through a ticket's seller, stay hidden.
    const viaTicket = await gql<{ ticket: { seller: { orders: unknown[] } } }>(
      url(),
      'query ($id: ID!) { ticket(id: $id) { seller { orders { id } } } }',
      { id: ticket.id },
      rival,
    );
    expect(viaTicket.data?.ticket.seller.orders).toEqual([]);
  });
});

describe('cancelOrder (point 4)', () => {
  test('only the buyer; a cancelled order releases the ticket within a second', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    await waitForTicket(url(), ticket.id, 'RESERVED');
    expect((await cancelOrder(url(), rival, o.id)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await cancelOrder(url(), buyer, 'nope')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const cancelled = await cancelOrder(url(), buyer, o.id);
    expect(cancelled.data?.cancelOrder).toMatchObject({ status: 'CANCELLED', cancelReason: 'CANCELLED' });
    const released = await waitForTicket(url(), ticket.id, 'AVAILABLE', SECOND);
    expect(released.reservedUntil).toBeNull();
    // Cancelled is final: not twice.
    expect((await cancelOrder(url(), buyer, o.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  test("a stale cancellation never releases another buyer's later reservation", async () => {
    const ticket = await listed();
    const early = await order(buyer, ticket.id);
    await cancelOrder(url(), buyer, early.id);
    const later = await order(rival, ticket.id);
    await waitForTicket(url(), ticket.id, 'RESERVED', SECOND, (t) => t.reservedUntil === later.expiresAt);

    // The early buyer cancels again (a retry, a second tab): refused, the rival's lock untouched.
    expect((await cancelOrder(url(), buyer, early.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // And the early cancellation's event arriving again (a replay) changes nothing either.
    await stack.orders?.events.publisher.publish(
      OrderCancelled.create({
        aggregateId: early.id,
        aggregateVersion: 2,
        data: { ticketId: ticket.id, buyerId: buyer.id, reason: 'cancelled' },
      }),
    );
    // An order event published after the replay: once tickets has applied it, it has seen the replay.
    const probe = await listed();
    await order(buyer, probe.id);
    await waitForTicket(url(), probe.id, 'RESERVED');
    expect(await readTicket(url(), ticket.id)).toMatchObject({
      status: 'RESERVED',
      reservedUntil: later.expiresAt,
    });
    expect((await createOrder(url(), buyer, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await readOrder(url(), rival, later.id))?.status).toBe('CREATED');
  });
});

describe('ticket status follows each order change within a second (point 5)', () => {
  test('reserve, cancel, reserve again, pay: RESERVED, AVAILABLE, RESERVED, SOLD', async () => {
    const ticket = await listed();
    const first = await order(buyer, ticket.id);
    const t1 = await waitForTicket(url(), ticket.id, 'RESERVED', SECOND);
    expect(t1.reservedUntil).toBe(first.expiresAt);

    await cancelOrder(url(), buyer, first.id);
    await waitForTicket(url(), ticket.id, 'AVAILABLE', SECOND);

    const second = await order(rival, ticket.id);
    await waitForTicket(url(), ticket.id, 'RESERVED', SECOND, (t) => t.reservedUntil === second.expiresAt);

    expect((await pay(rival, second.id)).errors).toBeUndefined();
    const sold = await waitForTicket(url(), ticket.id, 'SOLD', SECOND);
    expect(sold.reservedUntil).toBeNull();
    expect(sold.version).toBe(5);
    expect((await readOrder(url(), rival, second.id))?.status).toBe('COMPLETE');
  });
});

describe('the status machine: a paid order is final', () => {
  test('a paid order cannot be cancelled', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    expect((await pay(buyer, o.id)).errors).toBeUndefined();
    await waitForTicket(url(), ticket.id, 'SOLD');
    expect((await cancelOrder(url(), buyer, o.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // Nor can it expire: the sweeper passes over it even once its time is up (checked directly).
    await stack.orders?.models.Orders.updateOne({ _id: o.id }, { $set: { expiresAt: new Date(0) } });
    await stack.orders?.sweeper.sweep();
    expect((await readOrder(url(), buyer, o.id))?.status).toBe('COMPLETE');
    expect((await readTicket(url(), ticket.id))?.status).toBe('SOLD');
  });

  test('a final payment failure cancels the order (reason payment failed) and frees the ticket', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    // Seen reserved first: otherwise AVAILABLE below could be the state from before the order.
    await waitForTicket(url(), ticket.id, 'RESERVED');
    await stack.orders?.events.publisher.publish(
      ChargeFailed.create({
        aggregateId: `declined-${o.id}`,
        aggregateVersion: 1,
        data: { orderId: o.id, reason: 'card_declined', attempts: 3, final: true },
      }),
    );
    await waitForTicket(url(), ticket.id, 'AVAILABLE');
    expect(await readOrder(url(), buyer, o.id)).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'PAYMENT_FAILED',
    });
  });
});

describe('the sweeper of orders: a lock never outlives its order', () => {
  test('an orphan lock (a crash between the lock insert and the order insert) is released past its grace', async () => {
    const ticket = await listed();
    const locks = stack.orders?.models.locks;
    const sweeper = stack.orders?.sweeper;
    if (!locks || !sweeper) throw new Error('orders not started');
    const orphan = { _id: ticket.id, orderId: '0123456789abcdef01234567', sold: false };
    await locks.insertOne({ ...orphan, at: new Date() });
    expect((await createOrder(url(), buyer, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await sweeper.sweep(); // too young to be called an orphan: the order may be being written
    expect(await locks.findOne({ _id: ticket.id })).toMatchObject({ orderId: orphan.orderId });

    await locks.updateOne({ _id: ticket.id }, { $set: { at: new Date(Date.now() - 60 * SECOND) } });
    await sweeper.sweep();
    expect(await locks.findOne({ _id: ticket.id })).toBeNull();
    expect((await order(buyer, ticket.id)).status).toBe('CREATED');
  });

  test('overdue unpaid orders are cancelled by the sweep at start (no expiration job needed)', async () => {
    const ticket = await listed();
    const o = await order(buyer, ticket.id);
    await waitForTicket(url(), ticket.id, 'RESERVED');
    await stack.orders?.sweeper.stop();
    await stack.orders?.models.Orders.updateOne(
      { _id: o.id },
      { $set: { expiresAt: new Date(Date.now() - SECOND) } },
    );
    // Another orders process starting now, with a timer too slow to matter: only its start sweep runs.
    const replica = await createOrdersService({
      settings: readOrdersSettings({ ...process.env, PORT: '0', ORDER_SWEEP_INTERVAL_MS: '600000' }),
      dbName: stack.orders?.models.Orders.db.name ?? '',
      events: { stream: stack.stream },
    });
    try {
      await waitForTicket(url(), ticket.id, 'AVAILABLE');
      expect(await readOrder(url(), buyer, o.id)).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'EXPIRED',
      });
    } finally {
      await replica.stop();
      stack.orders?.sweeper.start();
    }
  });
});
