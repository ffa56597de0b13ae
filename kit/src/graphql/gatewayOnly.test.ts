import { buildSchema } from 'graphql';
import { signIdentity } from '../auth';
import { type SubgraphServer, startSubgraphServer } from './startSubgraphServer';

// Issue 14, point 8, on kit's subgraph server: only requests carrying the gateway's signed identity
// are answered (anonymous callers come with one too), and production errors name no schema details.

const KEY = 'test-internal-key';
const schema = buildSchema('type Query { ticket: String, tickets: [String] }');
let dev: SubgraphServer;
let production: SubgraphServer;
beforeAll(async () => {
  dev = await startSubgraphServer({ schema, port: 0, internalKey: KEY, production: false });
  production = await startSubgraphServer({ schema, port: 0, internalKey: KEY, production: true });
});
afterAll(async () => {
  await dev.stop();
  await production.stop();
});

const post = async (server: SubgraphServer, query: string, token?: string) => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-identity': token }) },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    },
  };
};

test('without the header, or with a token the gateway did not sign, the answer is 401 and nothing runs', async () => {
  const refusals = [
    undefined,
    '',
    'not-a-token',
    signIdentity({ identity: null }, 'another-key'),
    signIdentity({ identity: { userId: 'u1', via: 'session' } }, KEY, -1),
  ];
  for (const token of refusals) {
    const { status, body } = await post(dev, '{ ticket }', token);
    expect([status, body.data, body.errors?.[0]?.extensions?.code]).toEqual([
      401,
      undefined,
      'UNAUTHENTICATED',
    ]);
    expect(body.errors?.[0]?.message).toBe(
      'This subgraph answers only the gateway: a valid x-identity header is required',
    );
  }
});

test("an anonymous caller with the gateway's token is answered", async () => {
  const { status, body } = await post(
    dev,
    '{ ticket }',
    signIdentity({ identity: null, clientAddress: '10.0.0.1' }, KEY),
  );
  expect([status, body]).toEqual([200, { data: { ticket: null } }]);
});

test('"Did you mean …?" names fields in development only', async () => {
  const token = signIdentity({ identity: null }, KEY);
  const inDev = await post(dev, '{ tickit }', token);
  expect(inDev.body.errors?.[0]?.message).toMatch(/Did you mean "ticket" or "tickets"\?/);
  const inProduction = await post(production, '{ tickit }', token);
  expect(inProduction.body.errors?.[0]?.message).toBe('Cannot query field "tickit" on type "Query".');
});
