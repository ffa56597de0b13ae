import type { Client } from 'graphql-ws';
import { gql } from './gql';
import {
  type Account,
  createOrder,
  createTicket,
  eventually,
  signUp,
  TICKET_FIELDS,
  type TicketView,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// Issue 17, points 1 and 2 through the gateway: a mutation answers with the state after its effect
// (although the other subgraphs hear of it only by event), the hold length is the API's, and a
// seller withdraws a listing: off the listings, not orderable, announced to watchers.

let stack: TestStack;
let seller: Account;
let buyer: Account;
const clients: Client[] = [];
const url = () => stack.gateway.url;

beforeAll(async () => {
  stack = await startTestStack('fresh_answers', { ORDER_EXPIRATION_SECONDS: '120' });
  [seller, buyer] = await Promise.all([signUp(url(), 'seller'), signUp(url(), 'buyer')]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack.stop();
});

const ORDER = `id status version expiresAt ticket { id status reservedUntil }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawTicket(id: $id) { ${TICKET_FIELDS} } }`;
const withdraw = (who: Account, id: string) =>
  gql<{ withdrawTicket: TicketView }>(url(), WITHDRAW, { id }, { cookie: who.cookie });

async function orderable(title: string): Promise<TicketView> {
  const ticket = await createTicket(url(), seller, title, 30);
  await waitUntilOrderable(url(), seller, ticket.id);
  return ticket;
}

test('orderHoldSeconds is the hold every new order gets', async () => {
  const r = await gql<{ orderHoldSeconds: number }>(url(), '{ orderHoldSeconds }', {});
  expect(r.data?.orderHoldSeconds).toBe(120);
});

test("createOrder's ticket is RESERVED until the order's expiry; payOrder's order is COMPLETE", async () => {
  const ticket = await orderable(`Fresh ${Date.now()}`);
  const created = await gql<{
    createOrder: { id: string; expiresAt: string; ticket: { status: string; reservedUntil: string } };
  }>(url(), `mutation ($id: ID!) { createOrder(ticketId: $id) { ${ORDER} } }`, { id: ticket.id }, buyer);
  expect(created.errors).toBeUndefined();
  const order = created.data?.createOrder;
  expect(order?.ticket).toEqual({ id: ticket.id, status: 'RESERVED', reservedUntil: order?.expiresAt });
  const holdMs = new Date(order?.expiresAt ?? 0).getTime() - Date.now();
  expect(holdMs).toBeGreaterThan(110_000);
  expect(holdMs).toBeLessThanOrEqual(120_000);

  const paid = await gql<{
    payOrder: { status: string; order: { status: string; ticket: { status: string } } };
  }>(
    url(),
    `mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { status order { ${ORDER} } } }`,
    { id: order?.id },
    buyer,
  );
  expect(paid.errors).toBeUndefined();
  expect(paid.data?.payOrder.status).toBe('COMPLETED');
  expect(paid.data?.payOrder.order.status).toBe('COMPLETE');
  expect(paid.data?.payOrder.order.ticket.status).toBe('SOLD');
});

test('a decline test card declines on stripe-mock', async () => {
  const ticket = await orderable(`Declined ${Date.now()}`);
  const order = (await createOrder(url(), buyer, ticket.id)).data?.createOrder;
  for (const pm of [
    'pm_card_chargeDeclined',
    'pm_card_visa_chargeDeclined',
    'pm_card_chargeDeclinedInsufficientFunds',
  ]) {
    const r = await gql(
      url(),
      'mutation ($id: ID!, $pm: String!) { payOrder(orderId: $id, paymentMethodId: $pm) { id } }',
      { id: order?.id, pm },
      buyer,
    );
    expect({ pm, error: r.errors?.[0] }).toMatchObject({
      pm,
      error: { extensions: { code: 'BAD_USER_INPUT', declined: true } },
    });
  }
});

describe('withdrawTicket', () => {
  test('only the seller, only while available; then it is off the listings and not orderable', async () => {
    const ticket = await orderable(`Withdrawn ${Date.now()}`);
    const watcher = connectClient(url());
    clients.push(watcher);
    const watching = subscribe<{ ticketChanged: TicketView }>(
      watcher,
      `subscription ($id: ID!) { ticketChanged(id: $id) { ${TICKET_FIELDS} } }`,
      { id: ticket.id },
    );
    await new Promise((r) => setTimeout(r, 300)); // the subscription registers

    expect((await withdraw(buyer, ticket.id)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const withdrawn = await withdraw(seller, ticket.id);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data?.withdrawTicket).toMatchObject({ status: 'WITHDRAWN', version: 2 });
    // Withdrawing again is the same withdrawal.
    expect((await withdraw(seller, ticket.id)).data?.withdrawTicket.version).toBe(2);

    const heard = await watching.next();
    expect(heard.data?.ticketChanged).toMatchObject({ id: ticket.id, status: 'WITHDRAWN' });

    const listed = await gql<{ tickets: { edges: Array<{ node: { id: string } }> } }>(
      url(),
      '{ tickets(first: 100) { edges { node { id } } } }',
      {},
    );
    expect(listed.data?.tickets.edges.map((e) => e.node.id)).not.toContain(ticket.id);
    const byStatus = await gql<{ tickets: { edges: unknown[] } }>(
      url(),
      '{ tickets(first: 100, status: WITHDRAWN) { edges { node { id } } } }',
      {},
    );
    expect(byStatus.data?.tickets.edges).toEqual([]);

    const refused = await eventually(async () => {
      const r = await createOrder(url(), buyer, ticket.id);
      return r.errors?.[0]?.extensions?.code === 'CONFLICT' ? r : undefined;
    });
    expect(refused.errors?.[0]?.message).toBe('The seller withdrew this ticket; it is no longer for sale');
    const edit = await gql(
      url(),
      'mutation ($id: ID!) { updateTicket(id: $id, input: { price: 10 }) { id } }',
      { id: ticket.id },
      seller,
    );
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  test('a reserved ticket cannot be withdrawn', async () => {
    const ticket = await orderable(`Held ${Date.now()}`);
    await createOrder(url(), buyer, ticket.id);
    await waitForTicket(url(), ticket.id, 'RESERVED');
    const r = await withdraw(seller, ticket.id);
    expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0]?.message).toBe('The ticket is reserved; it can be withdrawn only while available');
  });
});
