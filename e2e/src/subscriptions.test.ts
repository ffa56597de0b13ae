import type { TicketStatus } from '@ticketing/events';
import type { Gateway } from '@ticketing/gateway';
import type { Client } from 'graphql-ws';
import { gql } from './gql';
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  eventually,
  signUp,
  waitUntilOrderable,
} from './marketplaceClient';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// Live updates as a browser meets them: graphql-ws on the gateway's /graphql, fed by domain events,
// each payload resolved through the supergraph (seller from tickets, reservedUntil, ...).

interface LiveTicket {
  id: string;
  status: TicketStatus;
  reservedUntil: string | null;
  seller: { id: string };
}

const WATCH_TICKET = `subscription ($id: ID!) { ticketChanged(id: $id) { id status reservedUntil seller { id } } }`;
const WATCH_LISTINGS = 'subscription { ticketsChanged { id status title } }';
const WATCH_ORDER = 'subscription ($id: ID!) { orderChanged(id: $id) { id status ticket { id status } } }';

let stack: TestStack;
let url: string;
let seller: Account;
let buyer: Account;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack(
    'subscriptions',
    {
      // Long enough to pay the second order on a busy machine: at 2 s, and at 4 s under CI's load
      // (the web browser suite beside it), it expired first, once each, and was refunded.
      ORDER_EXPIRATION_SECONDS: '8',
      ORDER_SWEEP_INTERVAL_MS: '250',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
      WS_RECHECK_MS: '300',
    },
    { expiration: true },
  );
  url = stack.gateway.url;
  [seller, buyer] = await Promise.all([signUp(url, 'seller'), signUp(url, 'buyer')]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack.stop();
});

const client = (gateway: Gateway = stack.gateway, auth: { cookie?: string } = {}) => {
  const c = connectClient(gateway.url, auth);
  clients.push(c);
  return c;
};

/** Subscribing is asynchronous: wait until the gateway holds `n` more live subscriptions. */
const registered = (gateway: Gateway, n: number) => eventually(() => gateway.subscriptionCount() >= n);

async function listedAndOrderable(title = 'Live show') {
  const ticket = await createTicket(url, seller, title, 40);
  await waitUntilOrderable(url, seller, ticket.id);
  return ticket;
}

const pay = (orderId: string) =>
  gql<{ payOrder: { status: string } }>(
    url,
    'mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { status } }',
    { id: orderId },
    { cookie: buyer.cookie },
  );

test('an anonymous watcher sees the lock with seller and reservedUntil, the unlock at expiry, and the sale', async () => {
  const ticket = await listedAndOrderable();
  const before = stack.gateway.subscriptionCount();
  const watch = subscribe<{ ticketChanged: LiveTicket }>(client(), WATCH_TICKET, { id: ticket.id });
  await registered(stack.gateway, before + 1);

  const order = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  expect(order).toBeDefined();
  const locked = (await watch.next()).data?.ticketChanged;
  expect(locked).toEqual({
    id: ticket.id,
    status: 'RESERVED',
    reservedUntil: order?.expiresAt,
    seller: { id: seller.id },
  });

  // The hold, then the sweeper or the expiration worker: past next()'s default wait on a busy machine.
  const unlocked = (await watch.next(30_000)).data?.ticketChanged;
  expect(unlocked).toMatchObject({ status: 'AVAILABLE', reservedUntil: null });

  const second = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  expect((await watch.next()).data?.ticketChanged.status).toBe('RESERVED');
  expect((await pay(second?.id ?? '')).data?.payOrder.status).toBe('COMPLETED');
  expect((await watch.next()).data?.ticketChanged).toMatchObject({
    status: 'SOLD',
    seller: { id: seller.id },
  });
});

test('ticketsChanged announces a new listing and every status change', async () => {
  const before = stack.gateway.subscriptionCount();
  const listings = subscribe<{ ticketsChanged: { id: string; status: string; title: string } }>(
    client(),
    WATCH_LISTINGS,
  );
  await registered(stack.gateway, before + 1);

  const ticket = await createTicket(url, seller, 'Fresh listing', 12);
  const ofThisTicket = async () => {
    for (;;) {
      const m = (await listings.next()).data?.ticketsChanged;
      if (m?.id === ticket.id) return m;
    }
  };
  expect(await ofThisTicket()).toMatchObject({ title: 'Fresh listing', status: 'AVAILABLE' });
  await waitUntilOrderable(url, seller, ticket.id);
  const order = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  expect((await ofThisTicket()).status).toBe('RESERVED');
  await cancelOrder(url, buyer, order?.id ?? '');
  expect((await ofThisTicket()).status).toBe('AVAILABLE');
});

test('orderChanged reaches the buyer at expiry and at completion, and is refused to anyone else', async () => {
  const ticket = await listedAndOrderable();
  const expiring = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  const before = stack.gateway.subscriptionCount();
  const mine = subscribe<{ orderChanged: { status: string } }>(client(stack.gateway, buyer), WATCH_ORDER, {
    id: expiring?.id,
  });
  const stranger = subscribe(client(stack.gateway, seller), WATCH_ORDER, { id: expiring?.id });
  const anonymous = subscribe(client(), WATCH_ORDER, { id: expiring?.id });
  expect((await stranger.refused)[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await anonymous.refused)[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await registered(stack.gateway, before + 1);
  expect((await mine.next(30_000)).data?.orderChanged.status).toBe('CANCELLED');

  const paid = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  const completion = subscribe<{ orderChanged: { status: string } }>(
    client(stack.gateway, buyer),
    WATCH_ORDER,
    {
      id: paid?.id,
    },
  );
  await registered(stack.gateway, before + 1);
  await pay(paid?.id ?? '');
  const statuses: string[] = [];
  while (statuses.at(-1) !== 'COMPLETE')
    statuses.push((await completion.next()).data?.orderChanged.status ?? '');
  expect(statuses.at(-1)).toBe('COMPLETE');
});

test('with two gateways, a subscriber on either gets every event exactly once', async () => {
  const second = await startGatewayReplica(stack);
  try {
    const ticket = await listedAndOrderable('Two replicas');
    const [b1, b2] = [stack.gateway.subscriptionCount(), second.subscriptionCount()];
    const onFirst = subscribe<{ ticketChanged: LiveTicket }>(client(stack.gateway), WATCH_TICKET, {
      id: ticket.id,
    });
    const onSecond = subscribe<{ ticketChanged: LiveTicket }>(client(second), WATCH_TICKET, {
      id: ticket.id,
    });
    await Promise.all([registered(stack.gateway, b1 + 1), registered(second, b2 + 1)]);

    const order = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
    for (const s of [onFirst, onSecond]) expect((await s.next()).data?.ticketChanged.status).toBe('RESERVED');
    await cancelOrder(url, buyer, order?.id ?? '');
    for (const s of [onFirst, onSecond])
      expect((await s.next()).data?.ticketChanged.status).toBe('AVAILABLE');
    // A later change arrives after any duplicate of the earlier ones would have.
    await createOrder(url, buyer, ticket.id);
    for (const s of [onFirst, onSecond]) {
      expect((await s.next()).data?.ticketChanged.status).toBe('RESERVED');
      expect(s.messages.map((m) => m.data?.ticketChanged.status)).toEqual([
        'RESERVED',
        'AVAILABLE',
        'RESERVED',
      ]);
    }
  } finally {
    await second.stop();
  }
});

test('signing out disconnects the sockets of that session; an API key identifies an integrator at connect', async () => {
  const reader = await signUp(url, 'reader');
  let closedWith = 0;
  const before = stack.gateway.subscriptionCount();
  const c = connectClient(url, { cookie: reader.cookie }, (code) => {
    closedWith = code;
  });
  clients.push(c);
  subscribe(c, WATCH_LISTINGS);
  await registered(stack.gateway, before + 1);
  await gql(url, 'mutation { signOut }', {}, { cookie: reader.cookie });
  await eventually(() => closedWith === 4403);

  const key = await gql<{ createApiKey: { secret: string } }>(
    url,
    'mutation { createApiKey(name: "live feed") { secret } }',
    {},
    { cookie: buyer.cookie },
  );
  const ticket = await listedAndOrderable('Integrator');
  const order = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  const integrator = connectClient(url, { bearer: key.data?.createApiKey.secret ?? '' });
  clients.push(integrator);
  const count = stack.gateway.subscriptionCount();
  subscribe(integrator, WATCH_ORDER, { id: order?.id }); // the buyer's own order: allowed
  await registered(stack.gateway, count + 1);

  let refusedWith = 0;
  const bogus = connectClient(url, { bearer: 'tk_not_a_key' }, (code) => {
    refusedWith = code;
  });
  clients.push(bogus);
  await eventually(() => refusedWith === 4403);
});

test('a connection may hold only so many subscriptions', async () => {
  const base = stack.gateway.subscriptionCount();
  const c = client();
  const held = [1, 2, 3].map(() => subscribe<{ ticketsChanged: { id: string } }>(c, WATCH_LISTINGS));
  await registered(stack.gateway, base + 3);

  const fourth = subscribe<{ ticketsChanged: { id: string } }>(c, WATCH_LISTINGS);
  expect((await fourth.refused)[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect(stack.gateway.subscriptionCount()).toBe(base + 3);

  // The cap is per connection: another one still subscribes.
  const elsewhere = subscribe<{ ticketsChanged: { id: string } }>(client(), WATCH_LISTINGS);
  await registered(stack.gateway, base + 4);

  // The held subscriptions are live; the refused one never receives anything.
  const ticket = await createTicket(url, seller, 'Capped show', 40);
  const announced = (s: (typeof held)[number]) =>
    s.messages.some((m) => m.data?.ticketsChanged.id === ticket.id);
  await eventually(() => [...held, elsewhere].every(announced));
  expect(fourth.messages).toEqual([]);
});
