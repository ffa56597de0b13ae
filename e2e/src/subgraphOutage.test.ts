import { readFileSync } from 'node:fs';
import { createGateway, readGatewaySettings, SUPERGRAPH_FILE } from '@ticketing/gateway';
import { createTicketsService, readTicketsSettings, type TicketsService } from '@ticketing/tickets';
import { createTicket, gql, signUp } from './index';
import { startTestStack, type TestStack } from './startTestStack';

// A subgraph stopped or restarting behind a real gateway: what clients are answered, and /readyz.
let stack: TestStack;
/** Services started again by a test (on the stopped one's port), stopped after the file. */
const restarted: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await startTestStack('subgraph_outage');
});
afterAll(async () => {
  for (const s of restarted) await s.stop();
  await stack.stop();
});

/** The env the stack's services were started with, on a given port. */
const envOn = (port: number) => ({
  ...process.env,
  PORT: String(port),
  REDIS_PREFIX: stack.redisPrefix,
  NODE_ENV: 'test',
});

/** Stops the stack's current tickets subgraph; `start` brings one up again on its port and database. */
async function stopTickets(): Promise<{ start(): Promise<TicketsService> }> {
  const current = (restarted.at(-1) as TicketsService | undefined) ?? stack.tickets;
  if (!current) throw new Error('no tickets subgraph');
  const port = new URL(current.url).port;
  const dbName = current.models.Tickets.db.name;
  await current.stop();
  return {
    async start() {
      const tickets = await createTicketsService({
        settings: readTicketsSettings(envOn(Number(port))),
        dbName,
        events: { stream: stack.stream },
      });
      restarted.push(tickets);
      return tickets;
    },
  };
}

interface GraphQLError {
  message: string;
  extensions: { code: string; service?: string };
}

const TICKET = 'query ($id: ID!) { ticket(id: $id) { id title } }';

async function post(url: string, query: string, variables: Record<string, unknown> = {}, cookie = '') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text, body };
}

test('a query in flight while its subgraph restarts is answered once it is back', async () => {
  const seller = await signUp(stack.gateway.url, 'outage.seller');
  const ticket = await createTicket(stack.gateway.url, seller, 'Restart show');
  const tickets = await stopTickets();
  const asked = post(stack.gateway.url, TICKET, { id: ticket.id });
  await new Promise((r) => setTimeout(r, 400)); // refused meanwhile, and retried
  await tickets.start();
  const reply = await asked;
  expect(reply.status).toBe(200);
  expect(reply.body.errors).toBeUndefined();
  expect(reply.body.data).toEqual({ ticket: { id: ticket.id, title: 'Restart show' } });
});

test('a subgraph that stays down: 503, Retry-After, SERVICE_UNAVAILABLE, no address; a mutation is not retried', async () => {
  const seller = await signUp(stack.gateway.url, 'outage.seller');
  const ticket = await createTicket(stack.gateway.url, seller, 'Dark show');
  const tickets = await stopTickets();
  try {
    const reply = await post(stack.gateway.url, TICKET, { id: ticket.id });
    expect(reply.status).toBe(503);
    expect(reply.retryAfter).toBe('1');
    expect(reply.body.data).toEqual({ ticket: null });
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        // No subgraph named to the client (docs/architecture.md, "HTTP statuses and errors").
        message: 'A service this needs is temporarily unavailable; try again shortly',
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
      }),
    ]);
    expect(reply.text).not.toMatch(/127\.0\.0\.1|localhost|ECONN|http:/);

    // Another subgraph answers meanwhile: partial data, 200.
    const query = `{ ticket(id: "${ticket.id}") { id } me { id } }`;
    const both = await post(stack.gateway.url, query, {}, seller.cookie);
    expect(both.status).toBe(200);
    expect(both.body.data).toEqual({ ticket: null, me: { id: seller.id } });
    expect(both.body.errors?.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);

    // /readyz stays ready (the rest of the graph is served) and names what is down.
    const ready = await fetch(new URL('/readyz', stack.gateway.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, down: ['tickets'] });

    // A mutation is answered at once and never sent again: nothing is created once tickets is back.
    const started = Date.now();
    const created = await gql<{ createTicket: { id: string } }>(
      stack.gateway.url,
      'mutation { createTicket(input: { title: "Never twice", price: 10 }) { id } }',
      {},
      { cookie: seller.cookie },
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(created.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  } finally {
    await tickets.start();
  }
  const mine = await gql<{ me: { tickets: Array<{ title: string }> } }>(
    stack.gateway.url,
    '{ me { tickets { title } } }',
    {},
    { cookie: seller.cookie },
  );
  expect(mine.data?.me.tickets.map((t) => t.title)).toEqual(['Dark show']);
});

test('with retries off (SUBGRAPH_RETRIES=0) a restart is not waited for; with none of the graph served, /readyz is 503', async () => {
  const settings = readGatewaySettings({ ...envOn(0), SUBGRAPH_RETRIES: '0' });
  // A gateway whose subgraphs all point at a port nothing listens on.
  const dead = 'http://127.0.0.1:9/graphql';
  const gateway = await createGateway({
    settings,
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    events: { stream: stack.stream },
    subgraphUrls: { users: dead, tickets: dead, orders: dead, payments: dead },
  });
  try {
    const started = Date.now();
    const reply = await post(gateway.url, '{ tickets(first: 1) { edges { node { id } } } }');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reply.status).toBe(503);
    expect(reply.body.errors?.[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    const ready = await fetch(new URL('/readyz', gateway.url));
    expect(ready.status).toBe(503);
    const { down } = (await ready.json()) as { down: string[] };
    expect(down.sort()).toEqual(['orders', 'payments', 'tickets', 'users']);
  } finally {
    await gateway.stop();
  }
});
