import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import {
  ChargeCreated,
  ChargeFailed,
  ChargeRefunded,
  OrderCancelled,
  OrderCompleted,
  OrderCreated,
  OrderExpired,
  OrderPaymentUpdated,
  TicketCreated,
} from '@ticketing/events';
import { ticketRenamed } from '@ticketing/events/testing';
import { hasScope, type Identity, SessionProtocol } from '@ticketing/kit/auth';
import { eventually as eventuallyOnce } from '@ticketing/kit/testing';
import { buildSchema, type ExecutionResult, execute, parse } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { ApiKeys } from '../ApiKeys';
import { Authenticator } from '../Authenticator';
import { CostModel } from '../limits/CostModel';
import { OperationGuard } from '../limits/OperationGuard';
import { RateLimiter } from '../limits/RateLimiter';
import { Sessions } from '../Sessions';
import { type RunQuery, SubscriptionHub } from './SubscriptionHub';
import { SubscriptionServer, type SubscriptionServerOptions } from './SubscriptionServer';

// The gateway's WebSocket endpoint on a real HTTP server, with the real graphql-ws client, sessions
// and API keys in the real Redis. Only the supergraph is a stand-in: a schema of the same live
// fields whose `order` shows an order to its buyer only, as the orders subgraph does.

const SDL = `
  type Query { ticket(id: ID!): Ticket  order(id: ID!): Order  me: String  boom: String }
  type Ticket { id: ID!  title: String  note: String }
  type Order { id: ID!  status: String }
  type Subscription {
    ticketChanged(id: ID!): Ticket
    ticketsChanged: Ticket
    orderChanged(id: ID!): Order
    notLive: Ticket
  }
`;
const schema = buildSchema(SDL);
const tickets = new Map([['t1', { id: 't1', title: 'Jazz' }]]);
/** A field only a credential with the account scope sees (a session; not an API key), as users' are. */
const Ticket = {
  note: (_: unknown, { identity }: { identity: Identity | null }) =>
    identity && hasScope(identity, 'account') ? `for ${identity.userId}'s session` : null,
};
const orders = new Map([['o1', { id: 'o1', status: 'CREATED', buyerId: 'ann' }]]);
const root = {
  ticket: ({ id }: { id: string }) => {
    if (id === 't-err') throw new Error('tickets subgraph failed');
    const ticket = tickets.get(id);
    return ticket ? { ...ticket, ...Ticket } : null;
  },
  boom: () => {
    throw new Error('boom');
  },
  order: ({ id }: { id: string }, { identity }: { identity: Identity | null }) => {
    const order = orders.get(id);
    return order && order.buyerId === identity?.userId ? order : null;
  },
  me: (_: unknown, { identity }: { identity: Identity | null }) => identity?.userId ?? null,
};
/** Every query the server had run through "the supergraph", with its identity. */
let ran: { query: string; identity: Identity | null }[] = [];
let supergraphDown = false;
/** When set, the next resolution answers only once this settles (it has read the data already). */
let hold: Promise<void> | undefined;
const run: RunQuery = async (query, variables, identity, operationName) => {
  ran.push({ query, identity });
  if (supergraphDown) throw new Error('supergraph unreachable');
  const result = await execute({
    schema,
    document: parse(query),
    rootValue: root,
    contextValue: { identity },
    variableValues: variables,
    operationName,
  });
  const held = hold;
  hold = undefined;
  await held;
  // As the gateway's pipeline answers: errors already formatted (plain objects, no toJSON).
  return JSON.parse(JSON.stringify(result)) as ExecutionResult;
};

/**
 * Once one wait ran out the server is broken: later waits of this file fail at once instead of each
 * taking seconds (jest runs a file to its end after a failure; a mutation run would time out).
 */
let broken = false;
async function eventually<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms: number,
): Promise<T> {
  if (broken) throw new Error('not waiting: an earlier wait of this file ran out');
  try {
    return await eventuallyOnce(check, ms);
  } catch (err) {
    broken = true;
    throw err;
  }
}

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
const subscriber = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
const prefix = `test:subscriptions:${randomBytes(4).toString('hex')}:`;
const jwtKey = randomBytes(16).toString('hex');
const authenticator = new Authenticator(
  new Sessions({ redis, redisPrefix: prefix, jwtKey, ttlSeconds: 3600, secureCookie: false }),
  new ApiKeys({ redis, subscriber, redisPrefix: prefix, cacheSeconds: 0 }),
);
beforeAll(async () => {
  await redis.connect();
  await subscriber.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await subscriber.quit();
});

/** A signed-in user's session cookie, and its session id (to revoke it). */
function session(userId: string) {
  const sid = randomBytes(6).toString('hex');
  const token = SessionProtocol.signSession(userId, sid, { jwtKey, ttlSeconds: 3600 });
  return { cookie: `${SessionProtocol.cookieName}=${token}`, sid };
}
async function apiKey(userId: string): Promise<string> {
  const secret = randomBytes(12).toString('hex');
  const hash = createHash('sha256').update(secret).digest('hex');
  await redis.set(
    SessionProtocol.apiKeyKey(prefix, hash),
    JSON.stringify({ userId, keyId: `key-${userId}` }),
  );
  return secret;
}

interface Started {
  url: string;
  hub: SubscriptionHub;
  server: SubscriptionServer;
}
const stops: (() => Promise<void>)[] = [];
const clients: Client[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  ran = [];
  supergraphDown = false;
  hold = undefined;
  // A server that does not stop (or a client whose socket never closes) marks the file broken:
  // later tests fail at once instead of each waiting.
  const ended = async (work: Promise<unknown>) => {
    if (broken) return;
    const late = await Promise.race([
      work.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), 3_000).unref()),
    ]);
    if (late) broken = true;
  };
  for (const c of clients.splice(0)) await ended(Promise.resolve(c.dispose()));
  for (const s of sockets.splice(0)) s.terminate();
  for (const stop of stops.splice(0)) await ended(stop());
});

async function start(options: Partial<SubscriptionServerOptions> = {}): Promise<Started> {
  const httpServer = http.createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const hub = new SubscriptionHub(run);
  const server = new SubscriptionServer({
    httpServer,
    schema: () => schema,
    hub,
    run,
    authenticator,
    recheckMs: 3_600_000,
    keepAliveMs: 3_600_000,
    // Each test's connections count under an address of their own.
    clientAddress: (req) => String(req.headers['x-test-address'] ?? 'test'),
    ...options,
  });
  stops.push(async () => {
    await server.stop();
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
  });
  const { port } = httpServer.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/graphql`, hub, server };
}

/** A graphql-ws client like a browser's (cookie on the upgrade) or a program's (Bearer key in connection_init). */
function connect(
  url: string,
  auth: {
    cookie?: string;
    bearer?: string;
    header?: string;
    paramName?: string;
    params?: Record<string, unknown>;
  } = {},
) {
  const closed: number[] = [];
  const reasons: string[] = [];
  const headers = {
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
    ...(auth.header ? { authorization: auth.header } : {}),
  };
  class Socket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url,
    webSocketImpl: Socket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      closed: (e) => {
        const { code, reason } = e as { code: number; reason: string };
        closed.push(code);
        reasons.push(reason);
      },
    },
    // None at all unless asked: connection_init then carries no payload.
    ...(auth.bearer || auth.params
      ? {
          connectionParams: {
            ...auth.params,
            ...(auth.bearer ? { [auth.paramName ?? 'authorization']: `Bearer ${auth.bearer}` } : {}),
          },
        }
      : {}),
  });
  clients.push(client);
  return { client, closed, reasons };
}

interface Received {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; extensions?: { code?: string } }[];
}
/** Subscribes (or sends a query) and records what comes back. */
function send(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
) {
  const results: Received[] = [];
  let errors: Received['errors'];
  let completed = false;
  // No variables at all when there are none, as some clients send.
  const stop = client.subscribe<Record<string, unknown>>(
    {
      query,
      ...(Object.keys(variables).length ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
    },
    {
      next: (value) => void results.push(value as Received),
      error: (err) => {
        errors = Array.isArray(err) ? err : [{ message: String(err) }];
      },
      complete: () => {
        completed = true;
      },
    },
  );
  return {
    results,
    stop,
    /** The operation's errors, or its first result's errors. */
    refused: () => eventually(() => errors ?? results.find((r) => r.errors?.length)?.errors, 4_000),
    first: () => eventually(() => results[0], 4_000),
    get completed() {
      return completed;
    },
  };
}
const codes = (errors: Received['errors']) => errors?.map((e) => e.extensions?.code);
const TICKET = 'subscription ($id: ID!) { ticketChanged(id: $id) { id title } }';
const ORDER = 'subscription ($id: ID!) { orderChanged(id: $id) { id status } }';
// Events are the shared samples (ticketRenamed): the hub takes only their id and ticket; what a
// subscriber is sent is resolved from `tickets` above, not read from the event.
/** Waits until the hub holds `n` subscriptions (the server answered the subscribe). */
const subscribed = (hub: SubscriptionHub, n: number) => eventually(() => hub.size === n, 4_000);

/** Opens a raw socket: its HTTP status (and body) when the upgrade is refused, else 101. */
function upgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; socket: WebSocket }> {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ status: 101, body: '', socket }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket }));
    });
    socket.once('error', reject);
  });
}
/**
 * A peer that subscribes, then never reads again: a bare TCP socket speaking just enough WebSocket
 * (ws's own client would go on reading for its parser).
 */
async function stalledSubscriber(url: string, query: string, variables: Record<string, unknown>) {
  const port = Number(new URL(url).port);
  const socket = net.connect(port, '127.0.0.1');
  // Gone before the server stops (its close would wait behind what the peer never read).
  stops.unshift(async () => void socket.destroy());
  const frame = (text: string) => {
    const data = Buffer.from(text);
    const mask = randomBytes(4);
    const length = data.length < 126 ? [data.length] : [126, data.length >> 8, data.length & 255];
    const masked = data.map((byte, i) => byte ^ (mask[i % 4] as number));
    return Buffer.concat([
      Buffer.from([0x81, 0x80 | (length[0] as number), ...length.slice(1)]),
      mask,
      masked,
    ]);
  };
  const acked = new Promise<void>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('connection_ack')) return;
      socket.off('data', onData);
      socket.pause();
      resolve();
    };
    socket.on('data', onData);
  });
  socket.write(
    [
      'GET /graphql HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  socket.write(frame(JSON.stringify({ type: 'connection_init' })));
  await acked;
  socket.write(frame(JSON.stringify({ id: 'stalled', type: 'subscribe', payload: { query, variables } })));
}
const closeCode = (socket: WebSocket) => new Promise<number>((r) => socket.once('close', (code) => r(code)));

describe('who may follow what', () => {
  test('anyone follows a ticket: each change is resolved through the supergraph and sent', async () => {
    const { url, hub } = await start();
    const sub = send(connect(url).client, TICKET, { id: 't1' });
    await subscribed(hub, 1);
    await hub.dispatch(ticketRenamed('t1', 2));
    expect(await sub.first()).toEqual({ data: { ticketChanged: { id: 't1', title: 'Jazz' } } });
    expect(ran.at(-1)?.identity).toBeNull();
  });

  test('an order is followed by its buyer only; an anonymous socket is told to sign in', async () => {
    const { url, hub } = await start();
    const buyer = send(connect(url, session('ann')).client, ORDER, { id: 'o1' });
    await subscribed(hub, 1);
    expect(ran.at(-1)?.identity).toMatchObject({ userId: 'ann', via: 'session' });

    const other = send(connect(url, session('bob')).client, ORDER, { id: 'o1' });
    expect(await other.refused()).toEqual([
      expect.objectContaining({
        message: 'Only the buyer can follow this order',
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    const anonymous = send(connect(url).client, ORDER, { id: 'o1' });
    expect(codes(await anonymous.refused())).toEqual(['UNAUTHENTICATED']);
    expect(hub.size).toBe(1);
    expect(buyer.results).toEqual([]);
  });

  test('an API key acts for its owner; an unknown key is refused with 4403', async () => {
    const { url, hub } = await start();
    const secret = await apiKey('ann');
    send(connect(url, { bearer: secret }).client, ORDER, { id: 'o1' });
    await subscribed(hub, 1);
    expect(ran.at(-1)?.identity).toMatchObject({ userId: 'ann', via: 'apiKey' });

    const { closed } = connect(url, { bearer: 'not-a-key' });
    expect(await eventually(() => closed[0], 4_000)).toBe(4403);
    // The key may come in the upgrade's Authorization header instead.
    const byHeader = connect(url, { header: `Bearer ${await apiKey('bob')}` }).client;
    expect(await send(byHeader, '{ me }').first()).toEqual({ data: { me: 'bob' } });
  });

  test('connectionParams may spell Authorization in any case, as an HTTP header may', async () => {
    const { url } = await start();
    const capital = connect(url, { bearer: await apiKey('ann'), paramName: 'Authorization' }).client;
    expect(await send(capital, '{ me }').first()).toEqual({ data: { me: 'ann' } });
    const upper = connect(url, { bearer: await apiKey('bob'), paramName: 'AUTHORIZATION' }).client;
    expect(await send(upper, '{ me }').first()).toEqual({ data: { me: 'bob' } });
    const { closed } = connect(url, { bearer: 'not-a-key', paramName: 'Authorization' });
    expect(await eventually(() => closed[0], 4_000)).toBe(4403);
  });

  test('connectionParams’ authorization is found among other parameters; one that is not text is ignored', async () => {
    const { url } = await start();
    const params = { client: 'web', Authorization: `Bearer ${await apiKey('ann')}` };
    expect(await send(connect(url, { params }).client, '{ me }').first()).toEqual({ data: { me: 'ann' } });
    // Not text: the upgrade's Authorization header is used instead.
    const notText = connect(url, { params: { authorization: 42 }, header: `Bearer ${await apiKey('bob')}` });
    expect(await send(notText.client, '{ me }').first()).toEqual({ data: { me: 'bob' } });
  });

  test('a socket whose session is revoked is closed at the next check; others stay', async () => {
    const { url, hub } = await start({ recheckMs: 50 });
    const revoked = session('ann');
    const kept = session('bob');
    const a = connect(url, revoked);
    const b = connect(url, kept);
    const anonymous = connect(url);
    send(a.client, TICKET, { id: 't1' });
    send(b.client, TICKET, { id: 't1' });
    send(anonymous.client, TICKET, { id: 't1' });
    await subscribed(hub, 3);
    await redis.set(SessionProtocol.revokedKey(prefix, revoked.sid), '1');
    expect(await eventually(() => a.closed[0], 4_000)).toBe(4403);
    expect(a.reasons).toEqual(['Forbidden']);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.closed).toEqual([]);
    expect(anonymous.closed).toEqual([]);
  });

  test('queries over the socket run as the socket’s user; a failing one is that operation’s error only', async () => {
    const { url } = await start();
    const { client, closed } = connect(url, session('ann'));
    expect(await send(client, 'query Me { me }').first()).toEqual({ data: { me: 'ann' } });
    supergraphDown = true;
    expect(await send(client, '{ me }').refused()).toEqual([
      expect.objectContaining({
        message: 'Internal server error',
        extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }),
      }),
    ]);
    supergraphDown = false;
    expect(await send(client, '{ me }').first()).toEqual({ data: { me: 'ann' } });
    const two = 'query A { me } query B { ticket(id: "t1") { id } }';
    expect(await send(client, two, {}, 'B').first()).toEqual({ data: { ticket: { id: 't1' } } });
    const failed = await send(client, '{ boom }').first();
    expect(failed).toMatchObject({ data: { boom: null }, errors: [{ message: 'boom', path: ['boom'] }] });
    expect(closed).toEqual([]);
  });

  test('a buyer-only subscription whose check fails is that subscription’s error; the socket goes on', async () => {
    const { url, hub } = await start();
    const { client, closed } = connect(url, session('ann'));
    supergraphDown = true;
    const refused = await send(client, ORDER, { id: 'o1' }).refused();
    expect(refused?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    supergraphDown = false;
    send(client, ORDER, { id: 'o1' });
    await subscribed(hub, 1);
    expect(closed).toEqual([]);
  });
});

describe('what a socket may send', () => {
  test('documents that do not parse, validate or name a live field are refused with their code', async () => {
    const { url, hub } = await start({ maxTokens: 40 });
    const { client } = connect(url);
    expect(codes(await send(client, 'subscription {').refused())).toEqual(['GRAPHQL_PARSE_FAILED']);
    const long = `subscription { ticketsChanged { ${'id '.repeat(50)}} }`;
    expect(codes(await send(client, long).refused())).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(await send(client, 'subscription { nope { id } }').refused()).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "nope" on type "Subscription".',
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
    expect(codes(await send(client, TICKET, { id: { no: 1 } }).refused())).toEqual(['BAD_USER_INPUT']);
    const notLive = await send(client, 'subscription { notLive { id } }').refused();
    expect(notLive?.[0]).toMatchObject({ message: 'Select one Subscription field directly' });
    expect(codes(notLive)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const direct = { message: 'Select one Subscription field directly' };
    const spread = 'subscription { ...F } fragment F on Subscription { ticketsChanged { id } }';
    expect((await send(client, spread).refused())?.[0]).toMatchObject(direct);
    // Even when the fragment bears a live field's name, or is inline.
    const named =
      'subscription { ...ticketsChanged } fragment ticketsChanged on Subscription { ticketsChanged { id } }';
    expect((await send(client, named).refused())?.[0]).toMatchObject(direct);
    const inline = 'subscription { ... on Subscription { ticketsChanged { id } } }';
    expect((await send(client, inline).refused())?.[0]).toMatchObject(direct);
    const unnamed = await send(
      client,
      'subscription A { ticketsChanged { id } } subscription B { ticketsChanged { id } }',
    ).refused();
    expect(unnamed?.[0]).toMatchObject({
      message: 'Unknown operation',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(hub.size).toBe(0);
  });

  test('operations are held to the limits of HTTP and spend from the caller’s rate limit (1 point when refused)', async () => {
    const guard = new OperationGuard({
      model: CostModel.fromSupergraph(SDL),
      limits: { cost: 100, height: 10, aliases: 10, rootFields: 2 },
      rateLimiter: new RateLimiter(redis, prefix, {
        apiKey: { points: 5, perSecond: 0.001 },
        user: { points: 5, perSecond: 0.001 },
        anonymous: { points: 0, perSecond: 1 },
      }),
    });
    const { url } = await start({ guard });
    const { client } = connect(url, session(`limited-${randomBytes(3).toString('hex')}`));
    const three = '{ a: ticket(id: "t1") { id } b: ticket(id: "t1") { id } c: ticket(id: "t1") { id } }';
    const tooBig = await send(client, three).refused();
    expect(tooBig?.[0]).toMatchObject({ extensions: { code: 'OPERATION_TOO_COMPLEX' } });
    // Two tickets cost two points.
    const two = '{ a: ticket(id: "t1") { id } b: ticket(id: "t1") { id } }';
    expect(await send(client, two).first()).toEqual({ data: { a: { id: 't1' }, b: { id: 't1' } } });
    const one = '{ ticket(id: "t1") { id } }';
    expect(await send(client, one).first()).toEqual({ data: { ticket: { id: 't1' } } });
    // A document whose operation cannot be told costs a point too, then is refused.
    const unnamed = await send(client, 'query A { me } query B { me }').refused();
    expect(unnamed?.[0]).toMatchObject({ message: 'Unknown operation' });
    const limited = await send(client, one).refused();
    expect(limited?.[0]?.message).toMatch(/^Rate limit reached: 0 of 5 points left; retry in \d+ s$/);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    // Anonymous callers are not limited here (0 points: that kind is off).
    const anonymous = connect(url).client;
    for (let i = 0; i < 4; i++)
      expect(await send(anonymous, one).first()).toEqual({ data: { ticket: { id: 't1' } } });
  });

  test('an operation sent before the schema is loaded is told to try again', async () => {
    const { url } = await start({ schema: () => undefined });
    const refused = await send(connect(url).client, TICKET, { id: 't1' }).refused();
    expect(refused?.[0]).toMatchObject({
      message: 'The API is starting; try again shortly',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('at most N subscriptions per connection; ending one frees its slot', async () => {
    const { url, hub } = await start({ maxSubscriptionsPerConnection: 2 });
    const { client } = connect(url);
    const first = send(client, TICKET, { id: 't1' });
    send(client, 'subscription { ticketsChanged { id } }');
    await subscribed(hub, 2);
    const third = await send(client, TICKET, { id: 't1' }).refused();
    expect(third?.[0]).toMatchObject({
      message: 'At most 2 subscriptions per connection',
      extensions: { code: 'RATE_LIMITED' },
    });
    // A refused buyer-only subscription takes no slot either.
    expect(codes(await send(client, ORDER, { id: 'o1' }).refused())).toEqual(['RATE_LIMITED']);
    first.stop();
    await subscribed(hub, 1);
    send(client, TICKET, { id: 't1' });
    await subscribed(hub, 2);
  });

  test('a refused subscription gives its slot back', async () => {
    const { url, hub } = await start({ maxSubscriptionsPerConnection: 1 });
    const { client } = connect(url);
    expect(codes(await send(client, ORDER, { id: 'o1' }).refused())).toEqual(['UNAUTHENTICATED']);
    send(client, TICKET, { id: 't1' });
    await subscribed(hub, 1);
  });

  test('by default: 5,000 tokens per document, 20 subscriptions per connection, 10 sockets per user', async () => {
    const { url, hub } = await start();
    const { client } = connect(url);
    // 12 tokens and a list of n: parsed (then refused by validation: an ID is no list), or not.
    const listOf = (n: number) => `{ ticket(id: [${'1 '.repeat(n)}]) { id } }`;
    expect(codes(await send(client, listOf(4900)).refused())).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await send(client, listOf(5000)).refused())).toEqual(['GRAPHQL_PARSE_FAILED']);
    for (let i = 0; i < 20; i++) send(client, TICKET, { id: 't1' });
    await subscribed(hub, 20);
    expect((await send(client, TICKET, { id: 't1' }).refused())?.[0]).toMatchObject({
      message: 'At most 20 subscriptions per connection',
    });
    const carol = session('carol');
    const sockets = Array.from({ length: 10 }, () => connect(url, carol));
    for (const c of sockets)
      expect(await send(c.client, '{ me }').first()).toEqual({ data: { me: 'carol' } });
    const eleventh = connect(url, carol);
    expect(await eventually(() => eleventh.closed[0], 4_000)).toBe(4429);
  });

  test('by default, 50 sockets per address', async () => {
    const { url } = await start();
    const address = { 'x-test-address': 'fifty' };
    for (let i = 0; i < 50; i++) expect((await upgrade(url, address)).status).toBe(101);
    expect((await upgrade(url, address)).status).toBe(429);
  });

  test('by default, a message over 100 KiB closes the socket with 1009; one under it is served', async () => {
    const { url } = await start();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { client, closed } = connect(url);
    // Blanks are no tokens: only the size of the message counts here.
    expect(await send(client, `{ me ${' '.repeat(90 * 1024)} }`).first()).toEqual({ data: { me: null } });
    send(client, `{ me ${' '.repeat(110 * 1024)} }`);
    expect(await eventually(() => closed[0], 4_000)).toBe(1009);
  });

  test('a message over the size limit closes the socket with 1009', async () => {
    const { url } = await start({ maxPayloadBytes: 1024 });
    // graphql-ws logs ws's refusal of the frame as an internal error: expected here.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { client, closed } = connect(url);
    send(client, `subscription { ticketsChanged { id ${' '.repeat(2000)} } }`);
    expect(await eventually(() => closed[0], 4_000)).toBe(1009);
  });
});

describe('connections', () => {
  test('a browser socket from an origin not allowed is refused at the upgrade; others pass', async () => {
    const { url } = await start({ allowedOrigins: ['https://tickets.example'] });
    expect(await upgrade(url, { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      body: 'Origin not allowed',
    });
    expect((await upgrade(url, { origin: 'https://tickets.example' })).status).toBe(101);
    expect((await upgrade(url, {})).status).toBe(101);
    // The gateway's own pages (the explorer) are same-origin, whatever the list says.
    const own = url.replace(/^ws:\/\/([^/]+)\/.*$/, 'http://$1');
    expect((await upgrade(url, { origin: own })).status).toBe(101);
    expect((await upgrade(url, { origin: 'null' })).status).toBe(403);
  });

  test('at most N sockets per address, counted from the upgrade; a closed one frees its place', async () => {
    const { url } = await start({ maxConnectionsPerAddress: 2 });
    const address = { 'x-test-address': 'caps' };
    const first = await upgrade(url, address);
    expect(first.status).toBe(101);
    expect((await upgrade(url, address)).status).toBe(101);
    expect(await upgrade(url, address)).toMatchObject({ status: 429, body: 'Too many connections' });
    expect((await upgrade(url, { 'x-test-address': 'elsewhere' })).status).toBe(101);
    const gone = closeCode(first.socket);
    first.socket.close();
    await gone;
    await eventually(async () => {
      const next = await upgrade(url, address);
      return next.status === 101;
    }, 4_000);
    // One place freed, one taken again: the next is refused.
    expect((await upgrade(url, address)).status).toBe(429);
  });

  test('without a clientAddress function, the peer’s own address is capped and rate-limited', async () => {
    const rateLimiter = new RateLimiter(redis, prefix, {
      apiKey: { points: 100, perSecond: 1 },
      user: { points: 100, perSecond: 1 },
      anonymous: { points: 2, perSecond: 0.001 },
    });
    const guard = new OperationGuard({
      model: CostModel.fromSupergraph(SDL),
      limits: { cost: 100, height: 10, aliases: 10, rootFields: 1 },
      rateLimiter,
    });
    const { url } = await start({ clientAddress: undefined, maxConnectionsPerAddress: 3, guard });
    const { client } = connect(url);
    const one = '{ ticket(id: "t1") { id } }';
    expect(await send(client, one).first()).toEqual({ data: { ticket: { id: 't1' } } });
    // The socket spends from its address's budget, as HTTP requests from there do.
    expect((await rateLimiter.spend({ kind: 'anonymous', id: '127.0.0.1' }, 1)).allowed).toBe(true);
    expect(codes(await send(client, one).refused())).toEqual(['RATE_LIMITED']);
    // The client's socket and two more; a fourth is refused.
    const second = await upgrade(url, {});
    expect(second.status).toBe(101);
    expect((await upgrade(url, {})).status).toBe(101);
    expect((await upgrade(url, {})).status).toBe(429);
    second.socket.close();
    await eventually(async () => (await upgrade(url, {})).status === 101, 4_000);
    expect((await upgrade(url, {})).status).toBe(429);
  });

  test('a socket on another path than /graphql is refused', async () => {
    const { url } = await start();
    expect((await upgrade(url.replace('/graphql', '/elsewhere'), {})).status).toBe(400);
    expect((await upgrade(url, {})).status).toBe(101);
  });

  test('at most N sockets per user; anonymous ones are not counted as a user', async () => {
    const { url } = await start({ maxConnectionsPerUser: 1 });
    const first = connect(url, session('ann'));
    send(first.client, '{ me }');
    await eventually(() => ran.length === 1, 4_000);
    const second = connect(url, session('ann'));
    expect(await eventually(() => second.closed[0], 4_000)).toBe(4429);
    expect(second.reasons).toEqual(['Too many connections for this user']);
    const bob = connect(url, session('bob'));
    expect(await send(bob.client, '{ me }').first()).toEqual({ data: { me: 'bob' } });
    const anonymous = [connect(url), connect(url)];
    for (const a of anonymous) expect(await send(a.client, '{ me }').first()).toEqual({ data: { me: null } });
    expect(first.closed).toEqual([]);
    // Ann leaves: her place is free again.
    await first.client.dispose();
    await eventually(async () => {
      const again = connect(url, session('ann'));
      const reply = await send(again.client, '{ me }')
        .first()
        .catch(() => undefined);
      return reply !== undefined && again.closed.length === 0;
    }, 4_000);
  });

  test('a socket offering permessage-deflate gets plain frames: no compression per socket', async () => {
    const { url } = await start();
    const { status, socket } = await upgrade(url, {});
    expect(status).toBe(101);
    // ws's client offers the extension by default; the server accepting it would name it here.
    expect(socket.extensions).toBe('');
  });

  test('a peer that stops answering pings is dropped; one that answers stays', async () => {
    const { url } = await start({ keepAliveMs: 50 });
    const silent = new WebSocket(url, 'graphql-transport-ws', { autoPong: false });
    const answering = new WebSocket(url, 'graphql-transport-ws');
    sockets.push(silent, answering);
    const dropped = closeCode(silent);
    expect(await dropped).toBe(1006);
    // Several pings later, the one that answers is still there.
    await new Promise((r) => setTimeout(r, 250));
    expect(answering.readyState).toBe(WebSocket.OPEN);
  });

  test('a peer that stops reading is dropped once its unread updates pass the limit; others go on', async () => {
    const { url, hub } = await start({ maxBufferedBytes: 64 * 1024 });
    tickets.set('t-big', { id: 't-big', title: 'x'.repeat(256 * 1024) });
    const reading = send(connect(url).client, TICKET, { id: 't-big' });
    await stalledSubscriber(url, TICKET, { id: 't-big' });
    await subscribed(hub, 2);
    // What the server sends it fills the kernel's buffers, then the server's own.
    // Each event in a turn of its own, as they come from NATS: the reading peer reads meanwhile.
    for (let i = 0; i < 400 && hub.size === 2; i++) {
      await hub.dispatch(ticketRenamed('t-big', 2));
      await new Promise((r) => setImmediate(r));
    }
    await subscribed(hub, 1);
    const before = reading.results.length;
    expect(before).toBeGreaterThan(0);
    await hub.dispatch(ticketRenamed('t-big', 2));
    await eventually(() => reading.results.length === before + 1, 4_000);
  });

  test('under a higher limit, the same peer is kept while its unread updates stay below it', async () => {
    const { url, hub } = await start({ maxBufferedBytes: 512 * 1024 * 1024 });
    tickets.set('t-big', { id: 't-big', title: 'x'.repeat(256 * 1024) });
    await stalledSubscriber(url, TICKET, { id: 't-big' });
    await subscribed(hub, 1);
    // 10 MiB: past what the kernel holds for it (the peer above was dropped within 5), far below the limit.
    for (let i = 0; i < 40; i++) {
      await hub.dispatch(ticketRenamed('t-big', 2));
      await new Promise((r) => setImmediate(r));
    }
    expect(hub.size).toBe(1);
  });

  test('stop ends every subscription and connection', async () => {
    const { url, hub, server } = await start();
    const { client, closed } = connect(url);
    const sub = send(client, TICKET, { id: 't1' });
    await subscribed(hub, 1);
    await server.stop();
    await server.stop();
    expect(hub.size).toBe(0);
    await eventually(() => closed.length > 0 || sub.completed, 4_000);
  });
});

describe('the hub', () => {
  test('each kind of event reaches the subscriptions it concerns, and no other', async () => {
    const { url, hub } = await start();
    const buyer = send(connect(url, session('ann')).client, ORDER, { id: 'o1' });
    const ticket = send(connect(url).client, TICKET, { id: 't1' });
    const listing = send(connect(url).client, 'subscription { ticketsChanged { id } }');
    await subscribed(hub, 3);
    const order = { aggregateId: 'o1', aggregateVersion: 2 };
    const of = { ticketId: 't1', buyerId: 'ann' };
    const charge = { aggregateId: 'p1', aggregateVersion: 2 };
    for (const event of [
      OrderCreated.create({ ...order, data: { ...of, priceCents: 1, expiresAt: new Date().toISOString() } }),
      OrderPaymentUpdated.create({ ...order, data: { ...of, status: 'AWAITING_PAYMENT', paymentId: 'p1' } }),
      OrderCancelled.create({ ...order, data: { ...of, reason: 'expired' } }),
      OrderCompleted.create({ ...order, data: { ...of, paymentId: 'p1' } }),
      ChargeCreated.create({ ...charge, data: { orderId: 'o1', amountCents: 1, stripeId: 'pi' } }),
      ChargeFailed.create({
        ...charge,
        data: { orderId: 'o1', reason: 'declined', attempts: 1, final: false },
      }),
      ChargeRefunded.create({
        ...charge,
        data: { orderId: 'o1', amountCents: 1, stripeId: 'pi', stripeRefundId: 're' },
      }),
      OrderExpired.create({ ...order, data: { expiresAt: new Date().toISOString() } }),
    ])
      await hub.dispatch(event);
    await eventually(() => buyer.results.length === 7, 4_000);
    expect(buyer.results[0]).toEqual({ data: { orderChanged: { id: 'o1', status: 'CREATED' } } });
    await hub.dispatch(
      TicketCreated.create({
        aggregateId: 't1',
        aggregateVersion: 1,
        data: { title: 'Jazz', priceCents: 1, sellerId: 's' },
      }),
    );
    expect(await listing.first()).toEqual({ data: { ticketsChanged: { id: 't1' } } });
    await new Promise((r) => setTimeout(r, 100));
    expect(buyer.results).toHaveLength(7);
    expect(ticket.results).toEqual([]);
    expect(listing.results).toHaveLength(1);
  });

  test('an update that resolves to an error only is sent as that error', async () => {
    const { url, hub } = await start();
    const sub = send(connect(url).client, TICKET, { id: 't-err' });
    await subscribed(hub, 1);
    await hub.dispatch(ticketRenamed('t-err', 2));
    expect(await sub.first()).toMatchObject({
      data: { ticketChanged: null },
      errors: [{ message: 'tickets subgraph failed' }],
    });
  });

  test('subscribers who asked the same thing as the same user share one resolution', async () => {
    const { url, hub } = await start();
    const ann = session('ann');
    const subs = [
      send(connect(url, ann).client, TICKET, { id: 't1' }),
      send(connect(url, ann).client, TICKET, { id: 't1' }),
    ];
    const bob = send(connect(url, session('bob')).client, TICKET, { id: 't1' });
    const listing = send(connect(url).client, 'subscription { ticketsChanged { id } }');
    await subscribed(hub, 4);
    ran = [];
    await hub.dispatch(ticketRenamed('t1', 2));
    for (const s of [...subs, bob])
      expect(await s.first()).toEqual({ data: { ticketChanged: { id: 't1', title: 'Jazz' } } });
    expect(await listing.first()).toEqual({ data: { ticketsChanged: { id: 't1' } } });
    expect(ran.map((r) => r.identity?.userId ?? null).sort()).toEqual(['ann', 'bob', null]);
  });

  test('an event delivered twice is sent once; one about nothing a subscriber sees is not sent', async () => {
    const { url, hub } = await start();
    const sub = send(connect(url).client, TICKET, { id: 't1' });
    const gone = send(connect(url).client, TICKET, { id: 't-gone' });
    await subscribed(hub, 2);
    const event = ticketRenamed('t1', 2);
    await hub.dispatch(event);
    await hub.dispatch(event);
    await hub.dispatch(ticketRenamed('t-gone', 2));
    await hub.dispatch(ticketRenamed('t1', 2));
    await eventually(() => sub.results.length === 2, 4_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(sub.results).toHaveLength(2);
    expect(gone.results).toEqual([]);
  });

  test('updates of one ticket leave in order: an older state never follows a newer one', async () => {
    const { url, hub } = await start();
    tickets.set('t-order', { id: 't-order', title: 'first' });
    const sub = send(connect(url).client, TICKET, { id: 't-order' });
    await subscribed(hub, 1);
    let release = () => {};
    hold = new Promise((r) => {
      release = r;
    });
    // The first change's resolution has read 'first' and is slow to answer; the ticket changes
    // twice meanwhile. Both later events fold into one resolution, after the first is sent.
    const older = hub.dispatch(ticketRenamed('t-order', 2));
    await eventually(() => ran.length === 1, 4_000);
    tickets.set('t-order', { id: 't-order', title: 'second' });
    const newer = hub.dispatch(ticketRenamed('t-order', 2));
    tickets.set('t-order', { id: 't-order', title: 'third' });
    const newest = hub.dispatch(ticketRenamed('t-order', 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(sub.results).toEqual([]);
    release();
    await Promise.all([older, newer, newest]);
    await eventually(() => sub.results.length === 2, 4_000);
    expect(sub.results).toEqual(
      ['first', 'third'].map((title) => ({ data: { ticketChanged: { id: 't-order', title } } })),
    );
    expect(ran).toHaveLength(2);
    // Once both are sent, the next change is resolved at once.
    tickets.set('t-order', { id: 't-order', title: 'fourth' });
    await hub.dispatch(ticketRenamed('t-order', 2));
    await eventually(() => sub.results.length === 3, 4_000);
    expect(sub.results[2]).toEqual({ data: { ticketChanged: { id: 't-order', title: 'fourth' } } });
  });

  test('one user’s session and API key do not share answers: the key never gets what only a session sees', async () => {
    const { url, hub } = await start();
    const query = 'subscription ($id: ID!) { ticketChanged(id: $id) { id note } }';
    const bySession = send(connect(url, session('ann')).client, query, { id: 't1' });
    const byKey = send(connect(url, { bearer: await apiKey('ann') }).client, query, { id: 't1' });
    const bySecondKey = send(connect(url, { bearer: await apiKey('ann') }).client, query, { id: 't1' });
    await subscribed(hub, 3);
    ran = [];
    await hub.dispatch(ticketRenamed('t1', 2));
    expect(await bySession.first()).toEqual({
      data: { ticketChanged: { id: 't1', note: "for ann's session" } },
    });
    for (const key of [byKey, bySecondKey])
      expect(await key.first()).toEqual({ data: { ticketChanged: { id: 't1', note: null } } });
    // Two keys of the same scopes see the same: one resolution serves both.
    expect(ran.map((r) => r.identity?.via).sort()).toEqual(['apiKey', 'session']);
  });

  test('when one subscriber of a ticket leaves, the others still get its updates', async () => {
    const { url, hub } = await start();
    const leaving = send(connect(url).client, TICKET, { id: 't1' });
    const staying = send(connect(url).client, TICKET, { id: 't1' });
    const other = send(connect(url, session('bob')).client, TICKET, { id: 't1' });
    await subscribed(hub, 3);
    leaving.stop();
    await subscribed(hub, 2);
    await hub.dispatch(ticketRenamed('t1', 2));
    expect(await staying.first()).toEqual({ data: { ticketChanged: { id: 't1', title: 'Jazz' } } });
    expect(await other.first()).toEqual({ data: { ticketChanged: { id: 't1', title: 'Jazz' } } });
    expect(leaving.results).toEqual([]);
  });

  test('a change that cannot be resolved is skipped; the subscription goes on', async () => {
    const { url, hub } = await start();
    const sub = send(connect(url).client, TICKET, { id: 't1' });
    await subscribed(hub, 1);
    supergraphDown = true;
    await hub.dispatch(ticketRenamed('t1', 2));
    supergraphDown = false;
    await hub.dispatch(ticketRenamed('t1', 2));
    await eventually(() => sub.results.length === 1, 4_000);
    expect(sub.results).toEqual([{ data: { ticketChanged: { id: 't1', title: 'Jazz' } } }]);
  });
});
