import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, type Identity, verifyIdentity } from '@ticketing/kit/auth';
import { Redis } from 'ioredis';
import type { GatewayContext } from '../GatewayContext';
import { createHttpFetcher } from '../httpFetcher';
import { Sessions } from '../Sessions';
import { SubgraphDataSource } from '../SubgraphDataSource';
import { PublicReads } from './PublicReads';

// The gateway's side of a subgraph call, against a real HTTP subgraph that counts its requests,
// holds its answers until told, and answers each caller with who it thinks is asking and which
// version of its data it has.

const KEY = 'test-internal-key';
let server: http.Server;
let url: string;
let calls = 0;
let version = 1;
const held: Array<() => void> = [];
let holding = false;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    calls++;
    const asker = verifyIdentity(req.headers[IDENTITY_HEADER] as string | undefined, KEY).identity?.userId;
    const read = version; // the data as of the request, however late the answer leaves
    const answer = () =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: { asker: asker ?? null, version: read } }));
    req.resume().on('end', () => (holding ? held.push(answer) : answer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
const fetcher = createHttpFetcher();
const redis = new Redis({ lazyConnect: true });
const sessions = new Sessions({
  redis,
  redisPrefix: 'unused:',
  jwtKey: 'k',
  ttlSeconds: 60,
  secureCookie: false,
});
afterAll(async () => {
  fetcher.close();
  redis.disconnect();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  calls = 0;
  version = 1;
  holding = false;
});

const release = () => {
  for (const answer of held.splice(0)) answer();
};
const waitForCalls = async (n: number) => {
  while (calls < n) await new Promise((r) => setTimeout(r, 5));
};

function subgraph(
  name: string,
  reads = new PublicReads({ dedup: true, cacheMaxBytes: 1 << 20, cacheMaxAgeMs: 60_000 }),
) {
  const source = new SubgraphDataSource({
    name,
    url,
    fetcher,
    internalKey: KEY,
    sessions,
    publicReads: reads,
  });
  /** What the gateway's executor asks of a data source for one fetch of an incoming operation. */
  const ask = (identity: Identity | null, operation: 'query' | 'mutation' = 'query') => {
    const context: GatewayContext = { identity, clientAddress: '203.0.113.9' };
    const options = {
      kind: 'incoming operation',
      request: { query: '{ asker version }', variables: {} },
      context,
      incomingRequestContext: { operation: { operation }, context },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    return source.process(options).then((r) => r.data as { asker: string | null; version: number });
  };
  return { ask, reads };
}

const alice: Identity = { userId: 'alice', via: 'session' };
const bob: Identity = { userId: 'bob', via: 'session' };

test('two identical anonymous requests in flight cause one subgraph request', async () => {
  const { ask } = subgraph('orders');
  holding = true;
  const first = ask(null);
  const second = ask(null);
  await waitForCalls(1);
  release();
  expect(await Promise.all([first, second])).toEqual([
    { asker: null, version: 1 },
    { asker: null, version: 1 },
  ]);
  expect(calls).toBe(1);
});

test('signed-in requests are never shared with, nor served from, another identity', async () => {
  const { ask } = subgraph('tickets');
  await ask(null); // an anonymous answer, now cached
  calls = 0;
  holding = true;
  const answers = Promise.all([ask(alice), ask(bob), ask(alice)]);
  await waitForCalls(3);
  release();
  expect(await answers).toEqual([
    { asker: 'alice', version: 1 },
    { asker: 'bob', version: 1 },
    { asker: 'alice', version: 1 },
  ]);
  expect(calls).toBe(3);
});

test('an anonymous mutation is never shared nor cached', async () => {
  const { ask } = subgraph('tickets');
  await Promise.all([ask(null, 'mutation'), ask(null, 'mutation')]);
  await ask(null, 'mutation');
  expect(calls).toBe(3);
});

test('a cached anonymous answer is served until an event that may change it, then fetched again', async () => {
  const { ask, reads } = subgraph('tickets');
  expect(await ask(null)).toEqual({ asker: null, version: 1 });
  version = 2;
  expect(await ask(null)).toEqual({ asker: null, version: 1 }); // cached: no event yet
  expect(calls).toBe(1);
  reads.onEvent('OrderCreated'); // tickets' data changes only with its own events
  expect(await ask(null)).toEqual({ asker: null, version: 1 });
  reads.onEvent('TicketUpdated');
  expect(await ask(null)).toEqual({ asker: null, version: 2 });
  expect(calls).toBe(2);
});

test('an answer fetched while an event arrived is not kept, and later callers do not join it', async () => {
  const { ask, reads } = subgraph('tickets');
  holding = true;
  const early = ask(null);
  await waitForCalls(1);
  version = 2;
  reads.onEvent('TicketUpdated'); // the change was announced while the old answer was on its way
  const late = ask(null);
  await waitForCalls(2);
  release();
  expect(await early).toEqual({ asker: null, version: 1 });
  expect(await late).toEqual({ asker: null, version: 2 });
  holding = false;
  expect(await ask(null)).toEqual({ asker: null, version: 2 });
  expect(calls).toBe(2);
});

test('answers older than the age bound are fetched again; turned off, every caller calls', async () => {
  let now = 0;
  const aged = subgraph(
    'tickets',
    new PublicReads({ dedup: true, cacheMaxBytes: 1 << 20, cacheMaxAgeMs: 1_000, now: () => now }),
  );
  await aged.ask(null);
  now = 999;
  await aged.ask(null);
  now = 2_000;
  await aged.ask(null);
  expect(calls).toBe(2);

  calls = 0;
  const off = subgraph('tickets', new PublicReads({ dedup: false, cacheMaxBytes: 0, cacheMaxAgeMs: 1_000 }));
  holding = true;
  const both = Promise.all([off.ask(null), off.ask(null)]);
  await waitForCalls(2);
  release();
  await both;
  expect(calls).toBe(2);
});
