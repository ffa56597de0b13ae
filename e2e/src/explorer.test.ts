import type { Gateway } from '@ticketing/gateway';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  printSchema,
} from 'graphql';
import WebSocket from 'ws';
import { gql } from './gql';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';

// A person with a browser finds the API at /graphql (GraphiQL, served from our own packages: no CDN)
// and its schema at /graphql/schema.graphql, which stays published when introspection is off.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('gw_explorer', {}, { orders: false, payments: false });
});
afterAll(() => stack.stop());

/** What Chromium sends when a person opens a URL. */
const BROWSER = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
};
const schemaUrl = (gateway: Gateway) => new URL('/graphql/schema.graphql', gateway.url);

test('a browser opening /graphql gets GraphiQL whole, loading nothing from elsewhere', async () => {
  const res = await fetch(stack.gateway.url, { headers: { ...BROWSER, 'accept-encoding': 'identity' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await res.text();
  expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
  expect(html).toContain('"endpoint":"/graphql"');
  // Every script, style and worker is inline: no src= or href= to another host, no CDN named.
  expect(html.match(/(?:src|href)=["']?https?:\/\/[^"' >]+/g) ?? []).toEqual([]);
  expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr|apollographql\.com\/sandbox|embeddable-sandbox/);
});

test('the page’s subscriptions may open a socket from the gateway’s own origin; another site may not', async () => {
  const open = (origin: string) =>
    new Promise<number | 'open'>((resolve) => {
      const socket = new WebSocket(stack.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
        headers: { origin },
      });
      socket.once('open', () => {
        socket.close();
        resolve('open');
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
  expect(await open(new URL(stack.gateway.url).origin)).toBe('open');
  expect(await open('http://evil.test')).toBe(403);
});

test('the page is sent gzipped when the browser accepts it, and revalidated with its ETag', async () => {
  const res = await fetch(stack.gateway.url, { headers: { ...BROWSER, 'accept-encoding': 'gzip' } });
  // fetch decodes transparently: the header says what was sent.
  expect(res.headers.get('content-encoding')).toBe('gzip');
  const etag = res.headers.get('etag') ?? '';
  expect(etag).toMatch(/^".+"$/);
  await res.arrayBuffer();
  const again = await fetch(stack.gateway.url, { headers: { ...BROWSER, 'if-none-match': etag } });
  expect(again.status).toBe(304);
});

test('a GET with a query string and a program’s POST are still GraphQL', async () => {
  const url = new URL(stack.gateway.url);
  url.searchParams.set('query', '{ __typename }');
  const get = await fetch(url, { headers: { ...BROWSER, 'apollo-require-preflight': 'true' } });
  expect(await get.json()).toMatchObject({ data: { __typename: 'Query' } });
  expect((await gql(stack.gateway.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
});

test('the SDL is the API schema a client introspects, without federation’s internals', async () => {
  const res = await fetch(schemaUrl(stack.gateway));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const sdl = await res.text();
  expect(sdl).not.toMatch(/join__|link__|@join|@link|_entities|_service|_Any/);
  // Deprecated input fields (a deprecated `price` beside `priceMoney`) are listed only when asked.
  const introspected = await gql<IntrospectionQuery>(
    stack.gateway.url,
    getIntrospectionQuery({ inputValueDeprecation: true }),
  );
  expect(introspected.data).toBeTruthy();
  expect(printSchema(buildSchema(sdl))).toBe(
    printSchema(buildClientSchema(introspected.data as IntrospectionQuery)),
  );
});

test('in production without EXPLORER: no page, no introspection, the SDL still published', async () => {
  const gateway = await startGatewayReplica(
    { ...stack, settings: { ...stack.settings, EXPLORER: false } },
    { production: true },
  );
  try {
    const page = await fetch(gateway.url, { headers: BROWSER });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('/graphql/schema.graphql');
    const introspection = await gql(gateway.url, '{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const sdl = await fetch(schemaUrl(gateway));
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toBe(await (await fetch(schemaUrl(stack.gateway))).text());
  } finally {
    await gateway.stop();
  }
});

test('in production with EXPLORER=true: the page, and the introspection it reads the schema with', async () => {
  const gateway = await startGatewayReplica(
    { ...stack, settings: { ...stack.settings, EXPLORER: true } },
    { production: true },
  );
  try {
    const page = await fetch(gateway.url, { headers: { ...BROWSER, 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    const introspection = await gql(gateway.url, '{ __schema { queryType { name } } }');
    expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  } finally {
    await gateway.stop();
  }
});

test('figures: the page’s size, plain and gzipped', async () => {
  const plain = await fetch(stack.gateway.url, { headers: { ...BROWSER, 'accept-encoding': 'identity' } });
  const plainBytes = Number(plain.headers.get('content-length'));
  await plain.arrayBuffer();
  const zipped = await fetch(stack.gateway.url, { headers: { ...BROWSER, 'accept-encoding': 'gzip' } });
  const zippedBytes = Number(zipped.headers.get('content-length'));
  await zipped.arrayBuffer();
  expect(zippedBytes).toBeLessThan(plainBytes / 2);
  process.stdout.write(`explorer page: ${plainBytes} bytes, ${zippedBytes} gzipped\n`);
});
