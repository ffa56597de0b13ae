import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, type Gateway, readGatewaySettings, SUPERGRAPH_FILE } from '@ticketing/gateway';
import { gql } from './gql';
import { signUp } from './marketplaceClient';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// A client never learns how the graph is split or where its parts run: no subgraph's name
// (`serviceName` included) and no internal address in any error, whether a subgraph refused, is
// down, or never answers; over HTTP and over the WebSocket; in development and in production.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('gw_client_errors', {}, { payments: false });
});
afterAll(() => stack.stop());

/** What no answer may contain: a subgraph's name, Apollo's serviceName, an address, a socket error. */
const INTERNALS =
  /serviceName|"service"|\b(users|tickets|orders|payments) service|127\.0\.0\.1|localhost|https?:|ECONN|ETIMEDOUT/;

/** A gateway whose tickets subgraph is `ticketsUrl` (down or hanging), the rest of the stack's. */
function gatewayWith(ticketsUrl: string, env: Record<string, string>): Promise<Gateway> {
  return createGateway({
    settings: readGatewaySettings({
      ...process.env,
      PORT: '0',
      NODE_ENV: 'test',
      REDIS_PREFIX: stack.redisPrefix,
      RATE_LIMIT_ANONYMOUS_POINTS: '0',
      RATE_LIMIT_USER_POINTS: '0',
      ...env,
    }),
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    events: { stream: stack.stream },
    subgraphUrls: {
      users: stack.users.url,
      tickets: ticketsUrl,
      ...(stack.orders ? { orders: stack.orders.url } : {}),
    },
  });
}

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

test.each([false, true])(
  'an error a subgraph raises carries no serviceName (production: %s)',
  async (production) => {
    const gateway = production ? await startGatewayReplica(stack, { production }) : stack.gateway;
    try {
      const buyer = await signUp(stack.gateway.url, 'errors.buyer');
      const r = await gql(
        gateway.url,
        '{ order(id: "000000000000000000000000") { id } }',
        {},
        { cookie: buyer.cookie },
      );
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(r)).not.toMatch(INTERNALS);
    } finally {
      if (production) await gateway.stop();
    }
  },
);

test('a subgraph that is down: SERVICE_UNAVAILABLE naming nothing internal', async () => {
  // A port that was free a moment ago: nothing listens there.
  const closed = http.createServer();
  const url = await listening(closed);
  await new Promise((resolve) => closed.close(resolve));
  const gateway = await gatewayWith(url, { SUBGRAPH_RETRIES: '0' });
  try {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ticket(id: "000000000000000000000000") { id title } }' }),
    });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({
      errors: [
        {
          message: 'A service this needs is temporarily unavailable; try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
        },
      ],
    });
    expect(text).not.toMatch(INTERNALS);
  } finally {
    await gateway.stop();
  }
});

test('a subgraph that never answers: a timeout over HTTP and over the WebSocket names nothing internal', async () => {
  const hanging = http.createServer(() => {});
  const url = await listening(hanging);
  const gateway = await gatewayWith(url, { REQUEST_TIMEOUT_MS: '300', SUBGRAPH_RETRIES: '0' });
  const client = connectClient(gateway.url);
  try {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ticket(id: "000000000000000000000000") { id } }' }),
    });
    const text = await res.text();
    expect([res.status, JSON.parse(text).errors?.[0]?.extensions?.code]).toEqual([503, 'SERVICE_BUSY']);
    expect(text).not.toMatch(INTERNALS);

    // Over the socket there is no request deadline: the subgraph call's own timeout ends it.
    const query = subscribe(client, '{ ticket(id: "000000000000000000000000") { id } }');
    const reply = await query.next(5_000);
    expect(reply.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(reply)).not.toMatch(INTERNALS);
  } finally {
    await client.dispose();
    await gateway.stop();
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  }
});
