import { ChargeCreated } from '@ticketing/events';
import { gql } from './gql';
import {
  type Account,
  createOrder,
  createTicket,
  signUp,
  TICKET_FIELDS,
  type TicketView,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 5, point 1 for the tickets subgraph: validation with field errors, ownership, NOT_FOUND,
// CONFLICT on a reserved or sold ticket, pagination without repeats; through the gateway.

let stack: TestStack;
let seller: Account;
let other: Account;
beforeAll(async () => {
  stack = await startTestStack('gw_tickets', {}, { tickets: true, orders: true });
  [seller, other] = await Promise.all([signUp(url(), 'seller'), signUp(url(), 'other')]);
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;
const CREATE = `mutation ($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { ${TICKET_FIELDS} } }`;
const LIST = `query ($first: Int, $after: String, $status: TicketStatus) {
  tickets(first: $first, after: $after, status: $status) {
    edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`;

describe('createTicket', () => {
  test('lists a ticket for the signed-in seller: trimmed title, price in the currency unit', async () => {
    const r = await gql<{ createTicket: TicketView }>(
      url(),
      CREATE,
      { input: { title: '  Opera  ', price: 19.99 } },
      seller,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.createTicket).toMatchObject({
      title: 'Opera',
      price: 19.99,
      status: 'AVAILABLE',
      reservedUntil: null,
      version: 1,
      seller: { id: seller.id },
    });
  });

  test('signed out: UNAUTHENTICATED', async () => {
    const r = await gql(url(), CREATE, { input: { title: 'Opera', price: 10 } });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test.each([
    [{ title: '   ', price: 10 }, [{ field: 'title', message: 'must be 1 to 200 characters' }]],
    [{ title: 'x'.repeat(201), price: 10 }, [{ field: 'title', message: 'must be 1 to 200 characters' }]],
    [{ title: 'Opera', price: 0 }, [{ field: 'price', message: 'must be greater than 0' }]],
    [{ title: 'Opera', price: -5 }, [{ field: 'price', message: 'must be greater than 0' }]],
    [{ title: 'Opera', price: 10.001 }, [{ field: 'price', message: 'must have at most 2 decimals' }]],
    [{ title: 'Opera', price: 1_000_000.01 }, [{ field: 'price', message: 'must be at most 1,000,000' }]],
    [
      { title: '', price: 0 },
      [
        { field: 'title', message: 'must be 1 to 200 characters' },
        { field: 'price', message: 'must be greater than 0' },
      ],
    ],
  ])('bad input %j is BAD_USER_INPUT naming the fields', async (input, fields) => {
    const r = await gql(url(), CREATE, { input }, seller);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields });
  });

  test('the limits themselves are accepted: 200 characters, 1,000,000 and 0.01', async () => {
    for (const input of [
      { title: 'x'.repeat(200), price: 1_000_000 },
      { title: 'y', price: 0.01 },
    ]) {
      const r = await gql<{ createTicket: TicketView }>(url(), CREATE, { input }, seller);
      expect(r.data?.createTicket.price).toBe(input.price);
    }
  });
});

describe('updateTicket', () => {
  test('is partial: a new price keeps the title, and bumps the version', async () => {
    const t = await createTicket(url(), seller, 'Ballet', 30);
    const r = await gql<{ updateTicket: TicketView }>(
      url(),
      UPDATE,
      { id: t.id, input: { price: 35.5 } },
      seller,
    );
    expect(r.data?.updateTicket).toMatchObject({ title: 'Ballet', price: 35.5, version: 2 });
    const again = await gql<{ updateTicket: TicketView }>(
      url(),
      UPDATE,
      { id: t.id, input: { title: ' Ballet II ' } },
      seller,
    );
    expect(again.data?.updateTicket).toMatchObject({ title: 'Ballet II', price: 35.5, version: 3 });
  });

  test('only the seller: FORBIDDEN for anyone else, UNAUTHENTICATED signed out', async () => {
    const t = await createTicket(url(), seller);
    const r = await gql(url(), UPDATE, { id: t.id, input: { price: 1 } }, other);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql(url(), UPDATE, { id: t.id, input: { price: 1 } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('bad input is BAD_USER_INPUT with fields', async () => {
    const t = await createTicket(url(), seller);
    const r = await gql(url(), UPDATE, { id: t.id, input: { title: '', price: 0.123 } }, seller);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'title', message: 'must be 1 to 200 characters' },
        { field: 'price', message: 'must have at most 2 decimals' },
      ],
    });
  });

  test('an unknown id is NOT_FOUND, and so is a malformed one (never an internal error)', async () => {
    for (const id of ['0123456789abcdef01234567', 'not-an-id', '', '{"$gt":""}']) {
      const r = await gql(url(), UPDATE, { id, input: { price: 1 } }, seller);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const read = await gql<{ ticket: null }>(url(), `query { ticket(id: "nope") { id } }`);
    expect(read).toMatchObject({ data: { ticket: null } });
    expect(read.errors).toBeUndefined();
  });

  test('CONFLICT while the ticket is reserved, and once it is sold', async () => {
    const t = await createTicket(url(), seller);
    await waitUntilOrderable(url(), seller, t.id);
    const order = await createOrder(url(), other, t.id);
    const orderId = order.data?.createOrder.id ?? '';
    await waitForTicket(url(), t.id, 'RESERVED');
    const reserved = await gql(url(), UPDATE, { id: t.id, input: { price: 1 } }, seller);
    expect(reserved.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // Payments announces the charge (payments is not part of this stack): the order completes.
    await stack.orders?.events.publisher.publish(
      ChargeCreated.create({
        aggregateId: `payment-${orderId}`,
        aggregateVersion: 1,
        data: { orderId, amountCents: 2550, stripeId: 'ch_test' },
      }),
    );
    await waitForTicket(url(), t.id, 'SOLD');
    const sold = await gql(url(), UPDATE, { id: t.id, input: { title: 'Relisted' } }, seller);
    expect(sold.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('tickets: a Relay connection, newest first', () => {
  test('pages follow endCursor without repeats or gaps, even as new tickets are listed', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) mine.push((await createTicket(url(), seller, `Page ${i}`)).id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const r: Awaited<
        ReturnType<
          typeof gql<{
            tickets: {
              edges: Array<{ node: { id: string } }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }>
        >
      > = await gql(url(), LIST, { first: 3, after });
      expect(r.errors).toBeUndefined();
      const conn = r.data?.tickets;
      seen.push(...(conn?.edges.map((e) => e.node.id) ?? []));
      // A listing made while paging goes to the top; the pages after the cursor do not move.
      if (page === 0) await createTicket(url(), seller, 'Listed meanwhile');
      if (!conn?.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const newestFirst = [...mine].reverse();
    expect(seen.filter((id) => mine.includes(id))).toEqual(newestFirst);
  });

  test('status filters; bad first or after is BAD_USER_INPUT', async () => {
    const r = await gql<{ tickets: { edges: Array<{ node: { id: string } }> } }>(url(), LIST, {
      status: 'SOLD',
      first: 100,
    });
    expect(r.errors).toBeUndefined();
    const soldIds = r.data?.tickets.edges.map((e) => e.node.id) ?? [];
    for (const id of soldIds)
      expect(
        (await gql<{ ticket: TicketView }>(url(), `query { ticket(id: "${id}") { status } }`)).data?.ticket
          .status,
      ).toBe('SOLD');

    const bad = await gql(url(), LIST, { first: 0, after: 'garbage' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'first', message: 'must be 1 to 100' },
        { field: 'after', message: 'is not a cursor from this list' },
      ],
    });
  });

  test("User.tickets lists a seller's tickets, with seller resolved through the supergraph", async () => {
    const r = await gql<{ me: { id: string; tickets: Array<{ seller: { id: string; email: string } }> } }>(
      url(),
      'query { me { id tickets { seller { id email } } } }',
      {},
      seller,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.me.tickets.length).toBeGreaterThan(5);
    expect(r.data?.me.tickets[0]?.seller.id).toBe(seller.id);
    expect(r.data?.me.tickets[0]?.seller.email).toMatch(/^seller\./);
  });
});
