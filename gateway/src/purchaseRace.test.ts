import {
  type Account,
  createOrder,
  createTicket,
  readTicket,
  signUp,
  waitForTicket,
  waitUntilOrderable,
} from './testMarketplace';
import { startTestStack, type TestStack } from './testStack';

// Issue 5, point 2: of 15 concurrent buyers of one ticket exactly one gets an order; 20 times over.

const BUYERS = 15;
const ROUNDS = 20;

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
  for (let round = 0; round < ROUNDS; round++) {
    const ticket = await createTicket(url(), seller, `Final ${round}`);
    await waitUntilOrderable(url(), seller, ticket.id);

    const replies = await Promise.all(buyers.map((b) => createOrder(url(), b, ticket.id)));
    const winners = replies.filter((r) => r.data?.createOrder);
    const codes = replies.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
    expect(codes).toEqual(Array(BUYERS - 1).fill('CONFLICT'));

    const won = winners[0]?.data?.createOrder;
    const reserved = await waitForTicket(url(), ticket.id, 'RESERVED');
    expect(reserved.reservedUntil).toBe(won?.expiresAt);
  }
  // Nothing else changed afterwards: each ticket is held by its one winner.
  const orders = await stack.orders?.models.Orders.countDocuments({ status: 'CREATED' });
  expect(orders).toBe(ROUNDS);
  expect((await readTicket(url(), 'unknown'))?.status).toBeUndefined();
});
