import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, readGatewaySettings, SUPERGRAPH_FILE } from '@ticketing/gateway';
import WebSocket from 'ws';
import { createTicket, signUp } from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// Issue 14: the public endpoint bounds every request, HTTP and WebSocket alike. Each test calls
// from its own client address (X-Forwarded-For from loopback is believed), so buckets and
// connection counts are its own.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(
    'limits',
    {
      RATE_LIMIT_ANONYMOUS_POINTS: '300',
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '5',
      RATE_LIMIT_USER_POINTS: '5000',
      RATE_LIMIT_USER_PER_SECOND: '100',
      WS_MAX_CONNECTIONS_PER_ADDRESS: '3',
      WS_MAX_CONNECTIONS_PER_USER: '2',
    },
    { payments: false },
  );
});
afterAll(() => stack.stop());

let addresses = 0;
/** A client address no other test uses. */
const newAddress = () => `198.51.100.${++addresses}`;

interface Reply {
  status: number;
  headers: Headers;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

async function post(
  query: string,
  options: { address?: string; cookie?: string; variables?: Record<string, unknown> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.address) headers['x-forwarded-for'] = options.address;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Reply['body'] };
}

const subgraphCalls = () => {
  const s = stack.gateway.publicReads();
  return s.fetched + s.shared + s.hits + s.misses;
};

const NESTED = `{ tickets(first: 100) { edges { node { seller { tickets { seller { tickets {
  seller { tickets { seller { tickets { id title } } } } } } } } } } } }`;

describe('cost before execution', () => {
  it('refuses an operation over the cost limit with its cost and the limit, before any subgraph call', async () => {
    const before = subgraphCalls();
    const reply = await post(NESTED, { address: newAddress() });
    // A request error answered as application/json is 200 (GraphQL over HTTP); 400 with graphql-response+json.
    expect(reply.status).toBe(200);
    expect(reply.body.errors?.[0]?.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      cost: expect.any(Number),
      limit: 1000,
    });
    expect(reply.body.errors?.[0]?.extensions?.cost as number).toBeGreaterThan(1000);
    expect(subgraphCalls()).toBe(before);
  });

  it("answers with the operation's cost and the caller's RateLimit headers", async () => {
    const reply = await post('{ tickets(first: 5) { edges { node { id } } } }', { address: newAddress() });
    expect(reply.status).toBe(200);
    expect(reply.body.extensions?.cost).toEqual({ requested: 11, limit: 1000 });
    expect(reply.headers.get('ratelimit-limit')).toBe('300');
    expect(Number(reply.headers.get('ratelimit-remaining'))).toBeLessThanOrEqual(289);
    expect(Number(reply.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(0);
  });

  it('refuses too many aliases or root fields, naming the measure', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: ticket(id: "x") { id }`).join(' ');
    const reply = await post(`{ ${aliases} }`, { address: newAddress() });
    expect([reply.status, reply.body.errors?.[0]?.extensions]).toEqual([
      200,
      { code: 'OPERATION_TOO_COMPLEX', measure: 'aliases', value: 31, limit: 30 },
    ]);
    const roots = `{ ${'me { id } '.repeat(11)} }`;
    expect((await post(roots, { address: newAddress() })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_TOO_COMPLEX',
      measure: 'rootFields',
    });
  });

  it('refuses a document over the token limit before parsing it whole', async () => {
    const reply = await post(`{ ${'__typename '.repeat(6000)}}`, { address: newAddress() });
    expect(reply.status).toBe(200);
    expect(reply.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it("pages a seller's tickets with first (default 20, at most 100); old clients still get a list", async () => {
    const seller = await signUp(stack.gateway.url, 'seller');
    for (const title of ['A', 'B', 'C']) await createTicket(stack.gateway.url, seller, title);
    const two = await post('{ me { tickets(first: 2) { title } } }', { cookie: seller.cookie });
    expect(two.body.data).toEqual({ me: { tickets: [{ title: 'C' }, { title: 'B' }] } });
    expect((await post('{ me { tickets { id } } }', { cookie: seller.cookie })).body.data).toEqual({
      me: { tickets: [expect.anything(), expect.anything(), expect.anything()] },
    });
    const tooMany = await post('{ me { orders(first: 101) { id } } }', { cookie: seller.cookie });
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'first', message: 'must be 1 to 100' }],
    });
  });
});

describe('rate limits', () => {
  it('throttles a caller past its bucket with 429, RATE_LIMITED and Retry-After; others go on', async () => {
    const flooder = newAddress();
    const page = '{ tickets(first: 100) { edges { node { id } } } }'; // 201 points
    expect((await post(page, { address: flooder })).status).toBe(200);
    const throttled = await post(page, { address: flooder });
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers.get('ratelimit-remaining'))).toBeLessThan(201);
    expect((await post(page, { address: newAddress() })).status).toBe(200);
  });
});

describe('deadlines', () => {
  it('answers SERVICE_BUSY at the deadline and aborts the subgraph call', async () => {
    // A tickets subgraph that never answers, behind a gateway whose deadline is 500 ms.
    let aborted = false;
    const hanging = http.createServer((req) => req.once('close', () => (aborted = true)));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const settings = readGatewaySettings({
      ...process.env,
      PORT: '0',
      NODE_ENV: 'test',
      REDIS_PREFIX: stack.redisPrefix,
      REQUEST_TIMEOUT_MS: '500',
      RATE_LIMIT_USER_POINTS: '0',
    });
    const gateway = await createGateway({
      settings,
      supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
      events: { stream: stack.stream },
      subgraphUrls: {
        users: stack.users.url,
        tickets: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`,
        ...(stack.orders ? { orders: stack.orders.url } : {}),
      },
    });
    try {
      const reader = await signUp(stack.gateway.url, 'reader');
      const started = Date.now();
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: reader.cookie },
        body: JSON.stringify({ query: '{ me { tickets { id } } }' }),
      });
      const body = (await res.json()) as Reply['body'];
      expect(Date.now() - started).toBeLessThan(3_000);
      expect([res.status, body.errors?.[0]?.extensions]).toEqual([503, { code: 'SERVICE_BUSY' }]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|serviceName/);
      const until = Date.now() + 2_000;
      while (!aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(aborted).toBe(true);
    } finally {
      await gateway.stop();
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

describe('the WebSocket obeys the same rules', () => {
  const wsUrl = () => stack.gateway.url.replace(/^http/, 'ws');
  /** The upgrade's answer: 'open', or the HTTP status it was refused with. */
  const upgrade = (headers: Record<string, string>) =>
    new Promise<{ socket: WebSocket; outcome: 'open' | number }>((resolve) => {
      const socket = new WebSocket(wsUrl(), 'graphql-transport-ws', { headers });
      socket.once('open', () => resolve({ socket, outcome: 'open' }));
      socket.once('unexpected-response', (_req, res) => resolve({ socket, outcome: res.statusCode ?? 0 }));
    });

  it('refuses an Origin that is not allowed, and accepts an allowed one', async () => {
    expect((await upgrade({ origin: 'https://evil.example', 'x-forwarded-for': newAddress() })).outcome).toBe(
      403,
    );
    const ok = await upgrade({ origin: 'http://localhost:3000', 'x-forwarded-for': newAddress() });
    expect(ok.outcome).toBe('open');
    ok.socket.close();
  });

  it('caps the connections of one address', async () => {
    const address = newAddress();
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await upgrade({ 'x-forwarded-for': address }));
    expect(open.map((o) => o.outcome)).toEqual(['open', 'open', 'open']);
    expect((await upgrade({ 'x-forwarded-for': address })).outcome).toBe(429);
    for (const o of open) o.socket.close();
  });

  it('closes a socket sent a message over the size cap before parsing it (1009)', async () => {
    const { socket } = await upgrade({ 'x-forwarded-for': newAddress() });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(200 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('caps the connections of one user', async () => {
    const user = await signUp(stack.gateway.url, 'sockets');
    const codes: number[] = [];
    const clients = [0, 1, 2].map(() =>
      connectClient(stack.gateway.url, { cookie: user.cookie }, (c) => codes.push(c)),
    );
    const results = clients.map((c) => subscribe<{ me: { id: string } }>(c, '{ me { id } }'));
    const until = Date.now() + 5_000;
    while (!codes.includes(4429) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(codes).toContain(4429);
    expect(results.filter((r) => r.messages.length > 0).length).toBeLessThanOrEqual(2);
    for (const c of clients) await c.dispose();
  });

  it("refuses an operation over the cost limit as that operation's error; the socket goes on", async () => {
    const user = await signUp(stack.gateway.url, 'costly');
    const codes: number[] = [];
    const client = connectClient(stack.gateway.url, { cookie: user.cookie }, (c) => codes.push(c));
    try {
      const costly = subscribe(client, NESTED);
      expect((await costly.refused)[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
      // An error from a subgraph (first over 100) used to close the socket with 4500.
      const bad = subscribe(client, '{ me { tickets(first: 101) { id } } }');
      expect((await bad.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const fine = subscribe<{ me: { id: string } }>(client, '{ me { id } }');
      expect((await fine.next()).data?.me.id).toBe(user.id);
      expect(codes).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
