import { buildSchema } from 'graphql';
import { signIdentity } from './identityToken';
import { type SubgraphServer, startSubgraphServer } from './startSubgraphServer';

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
