import { execFileSync } from 'node:child_process';
import {
  createOrder,
  createTicket,
  eventually,
  gql,
  readTicket,
  signUp,
  waitForTicket,
  waitUntilOrderable,
} from './index';
import { type PrivateInfra, startPrivateInfra } from './privateInfra';
import { startTestStack, type TestStack } from './startTestStack';

// NATS, Redis and the database crashing and coming back under a running stack, on private
// instances (never the shared ones): nothing is lost, services reconnect by themselves, and their
// /readyz shows the outage while it lasts.
let infra: PrivateInfra;
let stack: TestStack;

beforeAll(async () => {
  infra = await startPrivateInfra('faults');
  stack = await startTestStack(
    'infra_faults',
    { ...infra.env, ORDER_EXPIRATION_SECONDS: '3', ORDER_SWEEP_INTERVAL_MS: '500' },
    { expiration: true },
  );
}, 120_000);
afterAll(async () => {
  // Everything back up, so the stack stops cleanly.
  for (const p of [infra.nats, infra.redis, infra.mongo]) if (!p.running()) await p.start();
  await stack?.stop();
  await infra?.stop();
}, 120_000);

const url = () => stack.gateway.url;
const TICKET_STATUS = 'query ($id: ID!) { ticket(id: $id) { status } }';

/** A subgraph's /readyz: its status and the dependencies it lists as down. */
async function readiness(subgraphUrl: string) {
  const res = await fetch(new URL('/readyz', subgraphUrl));
  const body = (await res.json()) as { down: string[] };
  return { status: res.status, down: body.down };
}

test('NATS killed and restarted: events written meanwhile all arrive; /readyz lists NATS while it is down', async () => {
  const tickets = stack.tickets?.url as string;
  const seller = await signUp(url(), 'nats.seller');
  const buyer = await signUp(url(), 'nats.buyer');
  await infra.nats.kill();
  try {
    await eventually(async () => {
      const r = await readiness(tickets);
      return r.status === 200 && r.down.includes('nats');
    }, 10_000);
    // Listed while NATS is down: the events wait in the outbox.
    const listed = [];
    for (let i = 0; i < 3; i++) listed.push(await createTicket(url(), seller, `During NATS outage ${i}`));
    await infra.nats.start();
    for (const t of listed) await waitUntilOrderable(url(), seller, t.id);
    const ordered = await createOrder(url(), buyer, (listed[0] as { id: string }).id);
    expect(ordered.errors).toBeUndefined();
    // Signed in (the gateway's cache of anonymous reads aside): tickets has applied OrderCreated.
    const reserved = (listed[0] as { id: string }).id;
    await eventually(async () => {
      const r = await gql<{ ticket: { status: string } }>(url(), TICKET_STATUS, { id: reserved }, seller);
      return r.data?.ticket.status === 'RESERVED';
    }, 15_000);
    // And anonymous readers see it too once this replica's live events have resumed.
    await waitForTicket(url(), reserved, 'RESERVED', 15_000);
    await eventually(async () => (await readiness(tickets)).down.length === 0, 15_000);
  } finally {
    if (!infra.nats.running()) await infra.nats.start();
  }
}, 60_000);

test('Redis flushed, then killed past an order lock: the order still expires and the ticket is free again', async () => {
  const seller = await signUp(url(), 'redis.seller');
  const buyer = await signUp(url(), 'redis.buyer');
  const ticket = await createTicket(url(), seller, 'Redis outage show');
  await waitUntilOrderable(url(), seller, ticket.id);
  const ordered = await createOrder(url(), buyer, ticket.id);
  const order = ordered.data?.createOrder;
  expect(order?.status).toBe('CREATED');
  // The expiry job in Redis is gone, then Redis itself, beyond the order's lock.
  execFileSync('redis-cli', ['-u', infra.redis.url, 'FLUSHALL']);
  await infra.redis.kill();
  try {
    const stored = await eventually(async () => {
      const found = await stack.orders?.models.Orders.findById(order?.id).lean();
      return found?.status === 'CANCELLED' ? found : undefined;
    }, 20_000);
    expect(stored.cancelReason).toBe('expired');
    await waitForTicket(url(), ticket.id, 'AVAILABLE', 15_000);
  } finally {
    await infra.redis.start();
  }
  // The gateway and users reconnect by themselves: a new account works again.
  await eventually(
    async () => (await signUp(url(), 'redis.after').catch(() => undefined)) !== undefined,
    15_000,
  );
}, 60_000);

test('database killed and restarted: SERVICE_UNAVAILABLE meanwhile, /readyz 503, then served again; no order lost', async () => {
  const tickets = stack.tickets?.url as string;
  const seller = await signUp(url(), 'db.seller');
  const buyer = await signUp(url(), 'db.buyer');
  const ticket = await createTicket(url(), seller, 'Database outage show');
  await waitUntilOrderable(url(), seller, ticket.id);
  await infra.mongo.kill();
  try {
    await eventually(async () => {
      const r = await readiness(tickets);
      return r.status === 503 && r.down.includes('mongodb');
    }, 15_000);
    // Signed in, so the gateway's cache does not answer; tickets may serve it from its listing in
    // memory, else it is SERVICE_UNAVAILABLE: never INTERNAL_SERVER_ERROR.
    const read = await gql<{ ticket: { id: string } | null }>(
      url(),
      'query ($id: ID!) { ticket(id: $id) { id } }',
      { id: ticket.id },
      seller,
    );
    if (read.errors) expect(read.errors.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    else expect(read.data?.ticket?.id).toBe(ticket.id);
    const order = await createOrder(url(), buyer, ticket.id);
    expect(order.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  } finally {
    await infra.mongo.start();
  }
  await eventually(async () => (await readiness(tickets)).status === 200, 20_000);
  expect((await readTicket(url(), ticket.id))?.status).toBe('AVAILABLE');
  const ordered = await createOrder(url(), buyer, ticket.id);
  expect(ordered.errors).toBeUndefined();
  await waitForTicket(url(), ticket.id, 'RESERVED', 15_000);
}, 90_000);
