import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import type { Authenticator } from './Authenticator';
import type { GatewayContext } from './GatewayContext';
import { graphqlEndpoint } from './graphqlEndpoint';

// The public endpoint's HTTP layer on its own: client address behind proxies, refused keys, CORS.

const typeDefs = 'type Query { caller: String, address: String }';
const resolvers = {
  Query: {
    caller: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.identity?.userId ?? null,
    address: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.clientAddress ?? null,
  },
};
const authenticator = {
  async authenticate({ authorization }: { authorization?: string }) {
    if (authorization === 'Bearer bad') return { ok: false as const };
    return { ok: true as const, identity: authorization ? { userId: 'u1', via: 'apiKey' as const } : null };
  },
} as unknown as Authenticator;

async function serve(trustProxy: string) {
  const server = new ApolloServer<GatewayContext>({ typeDefs, resolvers });
  await server.start();
  const listener = graphqlEndpoint({ server, authenticator, corsOrigins: ['http://app.test'], trustProxy });
  const httpServer = http.createServer(listener);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  const stop = async () => {
    await server.stop();
    await new Promise((resolve) => httpServer.close(resolve));
  };
  return { url, stop };
}

const ask = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ caller address }' }),
  });

test('the client address comes from X-Forwarded-For only through trusted proxies', async () => {
  const trusting = await serve('loopback');
  const untrusting = await serve('');
  try {
    const forwarded = { 'x-forwarded-for': '203.0.113.7' };
    expect(await (await ask(trusting.url, forwarded)).json()).toEqual({
      data: { caller: null, address: '203.0.113.7' },
    });
    expect(await (await ask(untrusting.url, forwarded)).json()).toEqual({
      data: { caller: null, address: '127.0.0.1' },
    });
  } finally {
    await Promise.all([trusting.stop(), untrusting.stop()]);
  }
});

test('a known key is the caller; an unknown one is a 401 with UNAUTHENTICATED; a preflight is answered', async () => {
  const { url, stop } = await serve('loopback');
  try {
    expect(await (await ask(url, { authorization: 'Bearer good' })).json()).toMatchObject({
      data: { caller: 'u1' },
    });
    const refused = await ask(url, { authorization: 'Bearer bad' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      errors: [{ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://app.test' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(preflight.headers.get('vary')).toBe('Origin');
  } finally {
    await stop();
  }
});
