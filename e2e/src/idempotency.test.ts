import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AnyEventDefinition,
  ChargeAttempted,
  type EventOf,
  OrderCreated,
  TicketCreated,
  UserCreated,
} from '@ticketing/events';
import { IdempotencyKeys } from '@ticketing/kit/graphql';
import { gql, sessionCookie } from './gql';
import {
  type Account,
  cancelOrder,
  createTicket,
  eventually,
  signUp,
  TICKET_FIELDS,
  type TicketView,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 16, point 3: the mutations that create or charge take an idempotency key (argument or
// Idempotency-Key header). A retry returns the first result and writes nothing again, even when
// the first answer was lost; other input with the same key is refused; concurrent calls with one
// key write once. Through the gateway, on FerretDB, NATS and stripe-mock.

let stack: TestStack;
const seen: Array<EventOf<AnyEventDefinition>> = [];
beforeAll(async () => {
  stack = await startTestStack('idempotency');
  await stack.users.events.consume({
    durable: 'idempotency_test',
    events: [UserCreated, TicketCreated, OrderCreated, ChargeAttempted],
    handle: async (event) => {
      seen.push(event);
    },
  });
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;
const header = (key: string) => ({ 'idempotency-key': key });

/** How many events of `type` announced `aggregateId`, once the first has arrived and a moment more has passed. */
async function eventsFor(type: string, aggregateId: string): Promise<number> {
  const count = () => seen.filter((e) => e.type === type && e.aggregateId === aggregateId).length;
  await eventually(() => count() > 0);
  await new Promise((r) => setTimeout(r, 300));
  return count();
}

const CREATE_TICKET = `mutation ($input: CreateTicketInput!, $key: String) {
  createTicket(input: $input, idempotencyKey: $key) { ${TICKET_FIELDS} } }`;
const createTicketWith = (
  seller: Account,
  input: object,
  key?: string,
  headers: Record<string, string> = {},
) =>
  gql<{ createTicket: TicketView }>(url(), CREATE_TICKET, { input, key }, { cookie: seller.cookie, headers });

async function ticketsOf(seller: Account): Promise<string[]> {
  const r = await gql<{ me: { tickets: Array<{ id: string; title: string }> } }>(
    url(),
    '{ me { tickets(first: 100) { id title } } }',
    {},
    seller,
  );
  return (r.data?.me.tickets ?? []).map((t) => t.title);
}

describe('createTicket', () => {
  let seller: Account;
  beforeAll(async () => {
    seller = await signUp(url(), 'idem_seller');
  });

  test('a retry with the same key (argument or header) returns the first ticket; one ticket, one event', async () => {
    const key = randomUUID();
    const input = { title: 'Keyed gig', price: 12.5 };
    const first = await createTicketWith(seller, input, key);
    const again = await createTicketWith(seller, input, key);
    const viaHeader = await createTicketWith(seller, input, undefined, header(key));
    expect(first.errors).toBeUndefined();
    expect(again.data?.createTicket).toEqual(first.data?.createTicket);
    expect(viaHeader.data?.createTicket).toEqual(first.data?.createTicket);
    expect((await ticketsOf(seller)).filter((t) => t === 'Keyed gig')).toHaveLength(1);
    expect(await eventsFor('TicketCreated', first.data?.createTicket.id ?? '')).toBe(1);
  });

  test('the same key with another price is IDEMPOTENCY_KEY_REUSED naming price; nothing is written', async () => {
    const key = randomUUID();
    await createTicketWith(seller, { title: 'Reused key', price: 10 }, undefined, header(key));
    const refused = await createTicketWith(
      seller,
      { title: 'Reused key', price: 11 },
      undefined,
      header(key),
    );
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: [{ field: 'price', message: 'differs from the first request with this idempotency key' }],
    });
    expect((await ticketsOf(seller)).filter((t) => t === 'Reused key')).toHaveLength(1);
  });

  test('another user may use the same key: keys are per caller', async () => {
    const other = await signUp(url(), 'idem_other_seller');
    const key = randomUUID();
    const mine = await createTicketWith(seller, { title: 'Shared key', price: 5 }, key);
    const theirs = await createTicketWith(other, { title: 'Shared key', price: 5 }, key);
    expect(theirs.data?.createTicket.id).not.toBe(mine.data?.createTicket.id);
    expect(theirs.data?.createTicket.seller.id).toBe(other.id);
  });

  test('ten concurrent calls with one key write one ticket, and all answer with it', async () => {
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        createTicketWith(seller, { title: 'Rush', price: 3 }, undefined, header(key)),
      ),
    );
    expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
    expect(new Set(replies.map((r) => r.data?.createTicket.id)).size).toBe(1);
    expect((await ticketsOf(seller)).filter((t) => t === 'Rush')).toHaveLength(1);
    expect(await eventsFor('TicketCreated', replies[0]?.data?.createTicket.id ?? '')).toBe(1);
  });

  test('the answer lost (the client gives up mid-flight, at various moments): the retry gets the one ticket', async () => {
    // Last, a call that completes and whose answer the client drops.
    for (const [i, delayMs] of [0, 5, 20, 60, 150, 5_000].entries()) {
      const key = randomUUID();
      const title = `Lost answer ${i}`;
      const controller = new AbortController();
      const lost = fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: seller.cookie, ...header(key) },
        body: JSON.stringify({ query: CREATE_TICKET, variables: { input: { title, price: 7 } } }),
        signal: controller.signal,
      }).catch(() => 'lost');
      setTimeout(() => controller.abort(), delayMs);
      await lost;
      const retry = await createTicketWith(seller, { title, price: 7 }, undefined, header(key));
      const again = await createTicketWith(seller, { title, price: 7 }, undefined, header(key));
      expect(retry.errors).toBeUndefined();
      expect(again.data?.createTicket.id).toBe(retry.data?.createTicket.id);
      expect((await ticketsOf(seller)).filter((t) => t === title)).toHaveLength(1);
    }
  });

  test('a first call that died after claiming the key, before writing: the retry writes that very ticket', async () => {
    const key = randomUUID();
    const resultId = randomBytes(12).toString('hex'); // an ObjectId's hex
    // What the first call had done when its process died: the key claimed, naming the ticket's id.
    const tickets = stack.tickets;
    if (!tickets) throw new Error('the stack runs tickets');
    const keys = new IdempotencyKeys(tickets.models.IdempotencyRecords);
    await keys.claim({
      operation: 'createTicket',
      scope: seller.id,
      key,
      input: { title: 'Died', price: 900 },
      resultId,
    });
    const retry = await createTicketWith(seller, { title: 'Died', price: 9 }, key);
    expect(retry.data?.createTicket).toMatchObject({ id: resultId, title: 'Died', price: 9 });
    expect(await eventsFor('TicketCreated', resultId)).toBe(1);
  });

  test('malformed keys, or an argument that differs from the header, are BAD_USER_INPUT on idempotencyKey', async () => {
    for (const [key, headers] of [
      ['x'.repeat(256), {}],
      ['has space', {}],
      ['arg-key', header('header-key')],
    ] as const) {
      const r = await createTicketWith(seller, { title: 'Bad key', price: 1 }, key, headers);
      expect(r.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'idempotencyKey' }],
      });
    }
    expect(await ticketsOf(seller)).not.toContain('Bad key');
  });
});

describe('signUp', () => {
  const SIGN_UP = `mutation ($email: String!, $password: String!, $key: String) {
    signUp(email: $email, password: $password, idempotencyKey: $key) { id email } }`;
  const signUpWith = (email: string, password: string, key?: string, headers: Record<string, string> = {}) =>
    gql<{ signUp: { id: string; email: string } }>(url(), SIGN_UP, { email, password, key }, { headers });
  const newEmail = () => `idem.${randomBytes(6).toString('hex')}@example.com`;

  test('a retry returns the same account with a working session; one UserCreated', async () => {
    const email = newEmail();
    const key = randomUUID();
    const first = await signUpWith(email, 'password-123', key);
    const retry = await signUpWith(email, 'password-123', undefined, header(key));
    expect(first.errors).toBeUndefined();
    expect(retry.data?.signUp).toEqual(first.data?.signUp);
    const cookie = sessionCookie(retry.setCookies);
    const me = await gql<{ me: { id: string } }>(url(), '{ me { id } }', {}, { cookie: cookie ?? '' });
    expect(me.data?.me.id).toBe(first.data?.signUp.id);
    expect(await eventsFor('UserCreated', first.data?.signUp.id ?? '')).toBe(1);
  });

  test('the same key with another password is IDEMPOTENCY_KEY_REUSED naming password (no session)', async () => {
    const email = newEmail();
    const key = randomUUID();
    await signUpWith(email, 'password-123', key);
    const refused = await signUpWith(email, 'password-456', key);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: [{ field: 'password' }],
    });
    expect(sessionCookie(refused.setCookies)).toBeUndefined();
  });

  test('without a key, signing up twice is still "email already in use"', async () => {
    const email = newEmail();
    await signUpWith(email, 'password-123');
    const twice = await signUpWith(email, 'password-123');
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'email' }],
    });
  });

  test('five concurrent sign-ups with one key make one account, and all answer with it', async () => {
    const email = newEmail();
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => signUpWith(email, 'password-123', undefined, header(key))),
    );
    expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
    const ids = new Set(replies.map((r) => r.data?.signUp.id));
    expect(ids.size).toBe(1);
    expect(await eventsFor('UserCreated', [...ids][0] ?? '')).toBe(1);
  });
});

describe('createOrder and payOrder', () => {
  const CREATE_ORDER = `mutation ($id: ID!, $key: String) {
    createOrder(ticketId: $id, idempotencyKey: $key) { id status ticket { id } } }`;
  const PAY = `mutation ($id: ID!, $pm: String!, $key: String) {
    payOrder(orderId: $id, paymentMethodId: $pm, idempotencyKey: $key) { id status amount order { id } } }`;
  let seller: Account;
  let buyer: Account;
  beforeAll(async () => {
    [seller, buyer] = await Promise.all([signUp(url(), 'idem_os'), signUp(url(), 'idem_ob')]);
  });
  const order = (ticketId: string, key?: string, headers: Record<string, string> = {}) =>
    gql<{ createOrder: { id: string; status: string } }>(
      url(),
      CREATE_ORDER,
      { id: ticketId, key },
      { cookie: buyer.cookie, headers },
    );
  const pay = (orderId: string, pm: string, key?: string, headers: Record<string, string> = {}) =>
    gql<{ payOrder: { id: string; status: string; amount: number } }>(
      url(),
      PAY,
      { id: orderId, pm, key },
      { cookie: buyer.cookie, headers },
    );
  const listed = async (title: string) => {
    const ticket = await createTicket(url(), seller, title, 20);
    await waitUntilOrderable(url(), seller, ticket.id);
    return ticket;
  };
  const ordersOfBuyer = async () => {
    const r = await gql<{ me: { orders: Array<{ id: string; ticket: { id: string } }> } }>(
      url(),
      '{ me { orders(first: 100) { id ticket { id } } } }',
      {},
      buyer,
    );
    return r.data?.me.orders ?? [];
  };

  test('createOrder: a retry returns the same order, also once it is cancelled; one OrderCreated', async () => {
    const ticket = await listed('Keyed order');
    const key = randomUUID();
    const first = await order(ticket.id, key);
    const retry = await order(ticket.id, undefined, header(key));
    expect(first.errors).toBeUndefined();
    expect(retry.data?.createOrder).toEqual(first.data?.createOrder);
    const id = first.data?.createOrder.id ?? '';
    await cancelOrder(url(), buyer, id);
    const afterCancel = await order(ticket.id, key);
    expect(afterCancel.data?.createOrder).toEqual({ id, status: 'CANCELLED', ticket: { id: ticket.id } });
    expect((await ordersOfBuyer()).filter((o) => o.ticket.id === ticket.id)).toHaveLength(1);
    expect(await eventsFor('OrderCreated', id)).toBe(1);
  });

  test('createOrder: the same key for another ticket is IDEMPOTENCY_KEY_REUSED naming ticketId', async () => {
    const [a, b] = [await listed('Order key A'), await listed('Order key B')];
    const key = randomUUID();
    await order(a.id, key);
    const refused = await order(b.id, key);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: [{ field: 'ticketId' }],
    });
    expect((await ordersOfBuyer()).filter((o) => o.ticket.id === b.id)).toHaveLength(0);
  });

  test('createOrder: concurrent calls with one key make one order (no CONFLICT against itself)', async () => {
    const ticket = await listed('Order rush');
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => order(ticket.id, undefined, header(key))),
    );
    expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
    const ids = new Set(replies.map((r) => r.data?.createOrder.id));
    expect(ids.size).toBe(1);
    expect((await ordersOfBuyer()).filter((o) => o.ticket.id === ticket.id)).toHaveLength(1);
    expect(await eventsFor('OrderCreated', [...ids][0] ?? '')).toBe(1);
  });

  test('payOrder: a retry returns the same payment without charging again; other card refused; concurrent once', async () => {
    const ticket = await listed('Keyed payment');
    const placed = await order(ticket.id, randomUUID());
    const orderId = placed.data?.createOrder.id ?? '';
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 4 }, () => pay(orderId, 'pm_card_visa', key)));
    const retry = await pay(orderId, 'pm_card_visa', undefined, header(key));
    expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
    const payment = replies[0]?.data?.payOrder;
    expect(payment).toMatchObject({ status: 'COMPLETED', amount: 20 });
    for (const r of [...replies, retry]) expect(r.data?.payOrder).toEqual(payment);
    expect(await eventsFor('ChargeAttempted', payment?.id ?? '')).toBe(1);
    expect(seen.filter((e) => e.type === 'ChargeAttempted' && e.data.orderId === orderId)).toHaveLength(1);

    const otherCard = await pay(orderId, 'pm_card_mastercard', key);
    expect(otherCard.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: [{ field: 'paymentMethodId' }],
    });
  });
});

describe('createApiKey', () => {
  const CREATE_KEY = `mutation ($name: String!, $key: String) {
    createApiKey(name: $name, idempotencyKey: $key) { secret apiKey { id name createdAt } } }`;
  interface Created {
    secret: string;
    apiKey: { id: string; name: string; createdAt: string };
  }
  let owner: Account;
  beforeAll(async () => {
    owner = await signUp(url(), 'idem_keys');
  });
  const createKey = (name: string, key?: string, headers: Record<string, string> = {}) =>
    gql<{ createApiKey: Created }>(url(), CREATE_KEY, { name, key }, { cookie: owner.cookie, headers });
  const keysNamed = async (name: string) => {
    const r = await gql<{ me: { apiKeys: Array<{ name: string }> } }>(
      url(),
      '{ me { apiKeys { name } } }',
      {},
      owner,
    );
    return (r.data?.me.apiKeys ?? []).filter((k) => k.name === name).length;
  };

  test('a retry returns the same key and the same working secret; other input refused; concurrent once', async () => {
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => createKey('ci', undefined, header(key))),
    );
    const retry = await createKey('ci', key);
    expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
    const first = replies[0]?.data?.createApiKey;
    for (const r of [...replies, retry]) expect(r.data?.createApiKey).toEqual(first);
    expect(await keysNamed('ci')).toBe(1);
    const me = await gql<{ me: { id: string } }>(url(), '{ me { id } }', {}, { bearer: first?.secret ?? '' });
    expect(me.data?.me.id).toBe(owner.id);

    const refused = await createKey('ci-2', key);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      fields: [{ field: 'name' }],
    });
    expect(await keysNamed('ci-2')).toBe(0);
  });

  test('the secret is kept only sealed: the database holds no API key secret in clear', async () => {
    const key = randomUUID();
    const created = await createKey('sealed', key);
    const secret = created.data?.createApiKey.secret ?? 'missing';
    const records = await stack.users.models.IdempotencyRecords.find({}).lean();
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(secret);
    expect(JSON.stringify(records)).not.toContain(key);
  });
});
