import { buildSchema } from 'graphql';
import pino from 'pino';
import { signIdentity } from '../auth';
import { type SubgraphContext, type SubgraphServer, startSubgraphServer } from './startSubgraphServer';

// The subgraph's own HTTP layer (node:http, no Express): what the gateway and k8s probes meet.

const KEY = 'test-internal-key';
let served: SubgraphServer;
beforeAll(async () => {
  const schema = buildSchema('type Query { ok: Boolean }');
  served = await startSubgraphServer({ schema, port: 0, host: '127.0.0.1', internalKey: KEY });
});
afterAll(() => served.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test('POST /graphql runs the operation (with the identity header the gateway sends)', async () => {
  const token = signIdentity({ identity: { userId: 'u1', via: 'session' } }, KEY);
  const res = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-identity': token });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
});

test('malformed JSON is a 400, an oversized body a 413, another path a 404, GET /healthz ok', async () => {
  expect((await post('{"query":')).status).toBe(400);
  expect((await post(JSON.stringify({ query: `{ ${'__typename '.repeat(600_000)}}` }))).status).toBe(413);
  expect((await fetch(served.url.replace('/graphql', '/other'))).status).toBe(404);
  const health = await fetch(served.url.replace('/graphql', '/healthz'));
  expect([health.status, await health.text()]).toEqual([200, 'ok']);
});

test('a GET without a preflight-safe header is refused (CSRF prevention stays on)', async () => {
  const res = await fetch(`${served.url}?query=${encodeURIComponent('{ __typename }')}`);
  expect(res.status).toBe(400);
});

describe('raw routes beside /graphql (a signed webhook needs the bytes as sent)', () => {
  const logged: string[] = [];
  let withRoutes: SubgraphServer;
  const at = (path: string) => new URL(path, withRoutes.url).href;
  beforeAll(async () => {
    withRoutes = await startSubgraphServer({
      schema: buildSchema('type Query { ok: Boolean }'),
      port: 0,
      host: '127.0.0.1',
      internalKey: KEY,
      logger: pino({ level: 'error' }, { write: (line: string) => logged.push(line) }),
      routes: [
        {
          method: 'POST',
          path: '/echo',
          maxBodyBytes: 1024,
          handle: (_req, body, res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
          },
        },
        {
          method: 'POST',
          path: '/broken',
          handle: async () => {
            throw new Error('secret detail of the failure');
          },
        },
      ],
    });
  });
  afterAll(() => withRoutes.stop());

  test('the handler gets the body byte for byte, whatever its content type says', async () => {
    // Not valid UTF-8 and not the JSON its header claims: a parsed body could not give these back.
    const sent = Buffer.from([0xff, 0x00, 0xfe, 0x7b, 0x0a, 0xc3, 0x28, 0x22]);
    const res = await fetch(at('/echo?x=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sent,
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(sent);
  });

  test('a body over the route cap is a 413, and the route still serves the next request', async () => {
    const big = await fetch(at('/echo'), { method: 'POST', body: 'x'.repeat(1025) });
    expect([big.status, await big.text()]).toEqual([413, 'The request body is larger than 1024 bytes']);
    const fits = await fetch(at('/echo'), { method: 'POST', body: 'x'.repeat(1024) });
    expect([fits.status, (await fits.text()).length]).toEqual([200, 1024]);
  });

  test('a handler that throws answers a plain 500 without the error, and the error is logged', async () => {
    const res = await fetch(at('/broken'), { method: 'POST', body: '{}' });
    const text = await res.text();
    expect([res.status, res.headers.get('content-type'), text]).toEqual([
      500,
      'text/plain',
      'Internal server error',
    ]);
    expect(logged.some((line) => line.includes('secret detail of the failure'))).toBe(true);
  });

  test('an unknown path is a 404, a known path with another method a 405 naming the allowed one', async () => {
    expect((await fetch(at('/webhooks/unknown'), { method: 'POST' })).status).toBe(404);
    const wrongMethod = await fetch(at('/echo'));
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await fetch(at('/healthz'), { method: 'POST' })).status).toBe(405);
    expect((await fetch(at('/healthz'))).status).toBe(200);
  });

  test('a route cannot take /graphql', async () => {
    const handle = () => undefined;
    await expect(
      startSubgraphServer({
        schema: buildSchema('type Query { ok: Boolean }'),
        port: 0,
        host: '127.0.0.1',
        internalKey: KEY,
        routes: [{ method: 'POST', path: '/graphql', handle }],
      }),
    ).rejects.toThrow('/graphql is the schema');
  });
});

test("a resolver's signal is aborted when the caller goes away before the answer", async () => {
  const schema = buildSchema('type Query { slow: Boolean }');
  let seen: AbortSignal | undefined;
  const resolved = new Promise<void>((resolve) => {
    const field = schema.getQueryType()?.getFields().slow;
    if (field)
      field.resolve = async (_root, _args, ctx: SubgraphContext) => {
        seen = ctx.signal;
        resolve();
        // Work that stops when its caller has gone.
        await new Promise<void>((r) => {
          const timer = setTimeout(r, 5_000);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            r();
          });
        });
        return true;
      };
  });
  const server = await startSubgraphServer({ schema, port: 0, host: '127.0.0.1', internalKey: KEY });
  try {
    const caller = new AbortController();
    const token = signIdentity({ identity: null }, KEY);
    const asked = fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-identity': token },
      body: JSON.stringify({ query: '{ slow }' }),
      signal: caller.signal,
    }).catch(() => 'gone');
    await resolved;
    expect(seen?.aborted).toBe(false);
    caller.abort();
    expect(await asked).toBe('gone');
    const deadline = Date.now() + 1_500;
    while (!seen?.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen?.aborted).toBe(true);
  } finally {
    await server.stop();
  }
});
