import { FakeStripe } from '@ticketing/payments/testing';
import { Types } from 'mongoose';
import { gql } from './gql';
import { type Account, eventually, signUp, waitUntilOrderable } from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 19, point 3 through the gateway: prices are exact and carry their currency (Money), the
// deprecated Floats still work and say the same, an order and its payment carry the ticket's
// Money, Stripe is asked for the minor units, and what was stored before currencies still reads.

interface Money {
  amount: string;
  currencyCode: string;
}
interface PricedTicket {
  id: string;
  title: string;
  price: number;
  priceMoney: Money;
}
interface Problem {
  field: string;
  message: string;
  code?: string;
}

const TICKET = 'id title price priceMoney { amount currencyCode }';
const CREATE = `mutation ($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { ${TICKET} } }`;
const READ = `query ($id: ID!) { ticket(id: $id) { ${TICKET} } }`;
const usd = (amount: string) => ({ amount, currencyCode: 'USD' });

const stripe = new FakeStripe();
let stack: TestStack;
let seller: Account;
let buyer: Account;
beforeAll(async () => {
  stack = await startTestStack('gw_money', {}, { stripe });
  [seller, buyer] = await Promise.all([signUp(url(), 'seller'), signUp(url(), 'buyer')]);
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;
const create = (input: Record<string, unknown>) =>
  gql<{ createTicket: PricedTicket }>(url(), CREATE, { input }, seller);
const problemsOf = (r: { errors?: Array<{ extensions?: { code?: string; fields?: Problem[] } }> }) =>
  r.errors?.[0]?.extensions;

describe('a price given exactly (priceMoney)', () => {
  test('is read back as the same Money, and the deprecated Float equals it', async () => {
    const r = await create({ title: 'Jazz night', priceMoney: usd('49.99') });
    expect(r.errors).toBeUndefined();
    expect(r.data?.createTicket).toMatchObject({
      price: 49.99,
      priceMoney: { amount: '49.99', currencyCode: 'USD' },
    });
    const id = r.data?.createTicket.id ?? '';
    const read = await gql<{ ticket: PricedTicket }>(url(), READ, { id });
    expect(read.data?.ticket).toEqual(r.data?.createTicket);
    // In the listing too (its read model in memory).
    const listed = await gql<{ tickets: { edges: Array<{ node: PricedTicket }> } }>(
      url(),
      `{ tickets(first: 100) { edges { node { ${TICKET} } } } }`,
    );
    expect(listed.data?.tickets.edges.map((e) => e.node)).toContainEqual(r.data?.createTicket);
  });

  test.each([
    ['20', '20.00', 20],
    ['20.5', '20.50', 20.5],
    ['0.01', '0.01', 0.01],
    ['1000000', '1000000.00', 1_000_000],
    ['1.15', '1.15', 1.15],
  ])('"%s" is stored exactly: "%s" (Float %p)', async (amount, exact, float) => {
    const r = await create({ title: 'Exact', priceMoney: usd(amount) });
    expect(r.data?.createTicket).toMatchObject({ price: float, priceMoney: usd(exact) });
  });

  test.each([
    ['1.999', 'TOO_MANY_DECIMALS', 'must have at most 2 decimals in USD'],
    ['-1', 'INVALID_DECIMAL', 'must be a decimal such as "49.99": digits, optionally a point and decimals'],
    ['1e3', 'INVALID_DECIMAL', 'must be a decimal such as "49.99": digits, optionally a point and decimals'],
    [
      '1,000',
      'INVALID_DECIMAL',
      'must be a decimal such as "49.99": digits, optionally a point and decimals',
    ],
    ['0.00', 'OUT_OF_RANGE', 'must be at least 0.01 USD'],
    ['1000000.01', 'OUT_OF_RANGE', 'must be at most 1000000.00 USD'],
    ['9'.repeat(40), 'OUT_OF_RANGE', 'must be at most 1000000.00 USD'],
  ])('"%s" is BAD_USER_INPUT on priceMoney.amount, %s', async (amount, code, message) => {
    const r = await create({ title: 'Refused', priceMoney: usd(amount) });
    expect(r.data).toBeNull();
    expect(problemsOf(r)).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'priceMoney.amount', message, code }],
    });
  });

  test('a currency the marketplace does not sell in is refused by the schema', async () => {
    const r = await create({ title: 'Euros', priceMoney: { amount: '10', currencyCode: 'EUR' } });
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/CurrencyCode/);
  });

  test('the deprecated Float beside it, or neither, is BAD_USER_INPUT naming priceMoney', async () => {
    const both = await create({ title: 'Both', price: 49.99, priceMoney: usd('49.99') });
    expect(problemsOf(both)).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        {
          field: 'priceMoney',
          message: 'give the price once: priceMoney, or the deprecated price, not both',
          code: 'CONFLICTING_FIELDS',
        },
      ],
    });
    const neither = await create({ title: 'Neither' });
    expect(problemsOf(neither)).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'priceMoney', message: 'is required', code: 'REQUIRED' }],
    });
  });

  test('updateTicket takes it too; the Float and Money then change together', async () => {
    const t = (await create({ title: 'Ballet', priceMoney: usd('30') })).data?.createTicket;
    const r = await gql<{ updateTicket: PricedTicket }>(
      url(),
      UPDATE,
      { id: t?.id, input: { priceMoney: usd('35.55') } },
      seller,
    );
    expect(r.data?.updateTicket).toMatchObject({ title: 'Ballet', price: 35.55, priceMoney: usd('35.55') });
    const both = await gql(url(), UPDATE, { id: t?.id, input: { price: 1, priceMoney: usd('1') } }, seller);
    expect(problemsOf(both)?.fields).toEqual([
      expect.objectContaining({ field: 'priceMoney', code: 'CONFLICTING_FIELDS' }),
    ]);
    const bad = await gql(url(), UPDATE, { id: t?.id, input: { priceMoney: usd('35.555') } }, seller);
    expect(problemsOf(bad)?.fields).toEqual([
      expect.objectContaining({ field: 'priceMoney.amount', code: 'TOO_MANY_DECIMALS' }),
    ]);
  });
});

describe('the deprecated Float price', () => {
  test('is still accepted, in US dollars, and reads back as the same Money', async () => {
    const r = await create({ title: 'Old client', price: 19.99 });
    expect(r.data?.createTicket).toMatchObject({ price: 19.99, priceMoney: usd('19.99') });
  });

  test('a fraction of a cent is refused on price, as before', async () => {
    const r = await create({ title: 'Old client', price: 10.001 });
    expect(problemsOf(r)).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'price', message: 'must have at most 2 decimals', code: 'TOO_MANY_DECIMALS' }],
    });
  });

  test('introspection marks the Floats deprecated, with the reason', async () => {
    const r = await gql<{
      __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }> };
    }>(
      url(),
      '{ __type(name: "Ticket") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
    );
    const fields = r.data?.__type.fields ?? [];
    expect(fields.find((f) => f.name === 'price')).toEqual({
      name: 'price',
      isDeprecated: true,
      deprecationReason: expect.stringContaining('Use priceMoney'),
    });
    expect(fields.find((f) => f.name === 'priceMoney')?.isDeprecated).toBe(false);
  });
});

describe('an order and its payment', () => {
  test('carry the ticket’s Money; Stripe is asked for 4999 cents in USD', async () => {
    const ticket = (await create({ title: 'Opera box', priceMoney: usd('49.99') })).data?.createTicket;
    if (!ticket) throw new Error('no ticket');
    await waitUntilOrderable(url(), seller, ticket.id);
    const ordered = await gql<{ createOrder: { id: string; price: number; priceMoney: Money } }>(
      url(),
      'mutation ($id: ID!) { createOrder(ticketId: $id) { id price priceMoney { amount currencyCode } } }',
      { id: ticket.id },
      buyer,
    );
    const order = ordered.data?.createOrder;
    expect(order).toMatchObject({ price: 49.99, priceMoney: usd('49.99') });

    const paid = await gql<{ payOrder: { status: string; amount: number; amountMoney: Money } }>(
      url(),
      'mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { status amount amountMoney { amount currencyCode } } }',
      { id: order?.id },
      buyer,
    );
    expect(paid.data?.payOrder).toEqual({ status: 'COMPLETED', amount: 49.99, amountMoney: usd('49.99') });
    expect(stripe.charges.filter((c) => c.metadata.orderId === order?.id)).toEqual([
      expect.objectContaining({ amountCents: 4999, currency: 'USD' }),
    ]);

    const read = await gql<{ order: { priceMoney: Money; payment: { amountMoney: Money } } }>(
      url(),
      'query ($id: ID!) { order(id: $id) { priceMoney { amount currencyCode } payment { amountMoney { amount currencyCode } } } }',
      { id: order?.id },
      buyer,
    );
    expect(read.data?.order).toEqual({ priceMoney: usd('49.99'), payment: { amountMoney: usd('49.99') } });
  });
});

describe('what was stored before prices carried a currency', () => {
  test('a ticket, an order and a payment without one read as US dollars', async () => {
    const ticketId = new Types.ObjectId();
    await stack.tickets?.models.Tickets.collection.insertOne({
      _id: ticketId,
      title: 'Listed last year',
      priceCents: 2550,
      sellerId: seller.id,
      status: 'SOLD',
      reservedUntil: null,
      orderId: null,
      closedOrderIds: [],
      version: 3,
      createdAt: new Date('2025-01-01T00:00:00Z'),
      outbox: [],
    });
    const ticket = await gql<{ ticket: PricedTicket }>(url(), READ, { id: ticketId.toHexString() });
    expect(ticket.data?.ticket).toMatchObject({ price: 25.5, priceMoney: usd('25.50') });

    const orderId = new Types.ObjectId();
    await stack.orders?.models.Orders.collection.insertOne({
      _id: orderId,
      ticketId: ticketId.toHexString(),
      buyerId: buyer.id,
      priceCents: 2550,
      status: 'COMPLETE',
      expiresAt: new Date('2025-01-01T00:15:00Z'),
      cancelReason: null,
      paymentId: null,
      version: 3,
      createdAt: new Date('2025-01-01T00:00:00Z'),
      outbox: [],
    });
    // As payments wrote it before: the currency in Stripe's lower case.
    await stack.payments?.models.Payments.create({
      _id: new Types.ObjectId().toHexString(),
      orderId: orderId.toHexString(),
      buyerId: buyer.id,
      attempt: 1,
      status: 'COMPLETED',
      amountCents: 2550,
      currency: 'usd',
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: `payorder:${orderId.toHexString()}:1`,
      stripeId: 'pi_last_year',
      version: 2,
      outbox: [],
    });
    const order = await eventually(async () => {
      const r = await gql<{
        order: { price: number; priceMoney: Money; payment: { amount: number; amountMoney: Money } | null };
      }>(
        url(),
        'query ($id: ID!) { order(id: $id) { price priceMoney { amount currencyCode } payment { amount amountMoney { amount currencyCode } } } }',
        { id: orderId.toHexString() },
        buyer,
      );
      return r.data?.order?.payment ? r.data.order : undefined;
    });
    expect(order).toEqual({
      price: 25.5,
      priceMoney: usd('25.50'),
      payment: { amount: 25.5, amountMoney: usd('25.50') },
    });
  });
});
