import { signIdentity } from '@ticketing/kit/auth';
import { createOrdersService, type OrdersService, readOrdersSettings } from '@ticketing/orders';
import {
  type Account,
  createOrder,
  createTicket,
  signUp,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 5, point 2: of 15 concurrent buyers of one ticket exactly one gets an order; 20 times over.
// Then the same across three replicas of orders sharing one database: there the unique-index
// insert, not anything inside one process, is what decides.

const BUYERS = 15;
const ROUNDS = 20;

/** The orders written for a ticket, as the orders database holds them (losers must have written none). */
const ordersOf = async (ticketId: string) =>
  (await stack.orders?.models.Orders.find({ ticketId }, { _id: 1 }).lean())?.map((o) => o._id.toHexString());

/**
 * Once every round's events have been handled, each ticket is still RESERVED until its winner's
 * expiry: a loser's order, or its cancellation, would have moved it (or freed it).
 */
async function expectSettled(rounds: { ticketId: string; expiresAt?: string }[]) {
  for (const { ticketId, expiresAt } of rounds) {
    const settled = await waitForTicket(url(), ticketId, 'RESERVED');
    expect({ ticketId, reservedUntil: settled.reservedUntil }).toEqual({
      ticketId,
      reservedUntil: expiresAt,
    });
  }
}

let stack: TestStack;
let seller: Account;
let buyers: Account[];
beforeAll(async () => {
  stack = await startTestStack('gw_race', {}, { payments: false });
  seller = await signUp(url(), 'seller');
  buyers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => signUp(url(), `racer${i}`)));
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;

test(`${BUYERS} concurrent buyers of one ticket: exactly one order, the rest CONFLICT; ${ROUNDS} rounds`, async () => {
  const rounds: { ticketId: string; expiresAt?: string }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ticket = await createTicket(url(), seller, `Final ${round}`);
    await waitUntilOrderable(url(), seller, ticket.id);

    const replies = await Promise.all(buyers.map((b) => createOrder(url(), b, ticket.id)));
    const winners = replies.filter((r) => r.data?.createOrder);
    const codes = replies.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
    expect(codes).toEqual(Array(BUYERS - 1).fill('CONFLICT'));

    const won = winners[0]?.data?.createOrder;
    expect({ round, orders: await ordersOf(ticket.id) }).toEqual({ round, orders: [won?.id] });
    const reserved = await waitForTicket(url(), ticket.id, 'RESERVED');
    expect(reserved.reservedUntil).toBe(won?.expiresAt);
    rounds.push({ ticketId: ticket.id, expiresAt: won?.expiresAt });
  }
  // Nothing else changed afterwards: each ticket is held by its one winner.
  const orders = await stack.orders?.models.Orders.countDocuments({ status: 'CREATED' });
  expect(orders).toBe(ROUNDS);
  await expectSettled(rounds);
});

test('across three orders replicas on one database, still exactly one order per ticket', async () => {
  const db = stack.orders?.models.Orders.db.name ?? '';
  const settings = readOrdersSettings({ ...process.env, PORT: '0' });
  const replicas: OrdersService[] = [];
  const rounds: { ticketId: string; expiresAt?: string }[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      replicas.push(await createOrdersService({ settings, dbName: db, events: { stream: stack.stream } }));
    }
    const urls = [stack.orders?.url ?? '', ...replicas.map((r) => r.url)];
    for (let round = 0; round < 10; round++) {
      const ticket = await createTicket(url(), seller, `Replicated ${round}`);
      await waitUntilOrderable(url(), seller, ticket.id);
      const replies = await Promise.all(
        buyers.map(async (buyer, i) => {
          const token = signIdentity(
            { identity: { userId: buyer.id, via: 'session' } },
            stack.settings.INTERNAL_JWT_KEY,
          );
          const res = await fetch(urls[i % urls.length] ?? '', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-identity': token },
            body: JSON.stringify({
              query: 'mutation ($id: ID!) { createOrder(ticketId: $id) { id expiresAt } }',
              variables: { id: ticket.id },
            }),
          });
          return (await res.json()) as {
            data?: { createOrder: { id: string; expiresAt: string } } | null;
            errors?: Array<{ extensions?: { code?: string } }>;
          };
        }),
      );
      const winners = replies.flatMap((r) => (r.data?.createOrder ? [r.data.createOrder] : []));
      expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
      expect(replies.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? [])).toEqual(
        Array(BUYERS - 1).fill('CONFLICT'),
      );
      expect({ round, orders: await ordersOf(ticket.id) }).toEqual({ round, orders: [winners[0]?.id] });
      rounds.push({ ticketId: ticket.id, expiresAt: winners[0]?.expiresAt });
    }
    await expectSettled(rounds);
  } finally {
    for (const r of replicas) await r.stop();
  }
});
