import { type AuditResult, serverAudits } from 'graphql-http';
import { gql } from './gql';
import { signUp } from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// The public endpoint against the GraphQL-over-HTTP spec's own audit (graphql-http's serverAudits),
// and the HTTP status of each kind of answer (docs/architecture.md, "HTTP statuses and errors").

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('gw_over_http', {}, { payments: false });
});
afterAll(() => stack.stop());

/**
 * The MAY audits we decided to fail: a GET is refused unless it carries a preflight header
 * (Apollo-Require-Preflight or X-Apollo-Operation-Name), so that a page on another site cannot
 * make a browser run a query with the user's cookie (CSRF); the audit's plain GETs carry none.
 */
const REFUSED_ON_PURPOSE: Record<string, string> = {
  '5A70': 'GET without a preflight header',
  D6D5: 'GET without a preflight header',
  '6A70': 'GET without a preflight header',
};

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

async function post(
  body: unknown,
  accept: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; challenge: string | null; body: Record<string, unknown> }> {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    challenge: res.headers.get('www-authenticate'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

const codes = (body: Record<string, unknown>) =>
  (body.errors as Array<{ extensions?: { code?: string } }> | undefined)?.map((e) => e.extensions?.code);

test('serverAudits: every MUST and SHOULD passes; the MAYs we refuse are the GETs without a preflight header', async () => {
  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url: stack.gateway.url })) results.push(await audit.fn());
  const failed = (level: string) =>
    results
      .filter((r) => r.name.startsWith(level) && r.status !== 'ok')
      .map((r) => `${r.id} ${r.name}: ${r.status === 'ok' ? '' : r.reason}`);
  expect(failed('MUST')).toEqual([]);
  expect(failed('SHOULD')).toEqual([]);
  const refusedMays = results.filter((r) => r.name.startsWith('MAY') && r.status !== 'ok').map((r) => r.id);
  expect(refusedMays.sort()).toEqual(Object.keys(REFUSED_ON_PURPOSE).sort());
  expect(results.filter((r) => r.status === 'ok')).toHaveLength(results.length - refusedMays.length);
  expect(results.length).toBeGreaterThanOrEqual(61);
});

test('a GET with a preflight header runs a query, with URL-encoded variables', async () => {
  const url = new URL(stack.gateway.url);
  url.searchParams.set('query', 'query Hold($n: Int) { tickets(first: $n) { edges { node { id } } } }');
  url.searchParams.set('variables', JSON.stringify({ n: 1 }));
  const refused = await fetch(url);
  expect(refused.status).toBe(400);
  const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ data: { tickets: { edges: expect.any(Array) } } });
});

describe.each([
  [JSON_TYPE, 200],
  [GRAPHQL_RESPONSE, 400],
])('a request that cannot run as sent, answered in %s: %d with errors and no data', (accept, status) => {
  test.each([
    ['a syntax error', { query: '{' }, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a null for a required variable',
      { query: 'query ($id: ID!) { ticket(id: $id) { id } }', variables: { id: null } },
      'BAD_USER_INPUT',
    ],
    [
      'too many aliases (the gateway’s limit)',
      { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
      'OPERATION_TOO_COMPLEX',
    ],
  ])('%s', async (_, body, code) => {
    const r = await post(body, accept);
    expect([r.status, r.type, codes(r.body), 'data' in r.body]).toEqual([
      status,
      `${accept}; charset=utf-8`,
      [code],
      false,
    ]);
  });
});

describe.each([JSON_TYPE, GRAPHQL_RESPONSE])('not permitted, answered in %s', (accept) => {
  test('an invalid API key and a field that needs a signed-in caller: both 401 UNAUTHENTICATED with a Bearer challenge', async () => {
    const badKey = await post({ query: '{ tickets(first: 1) { edges { node { id } } } }' }, accept, {
      authorization: 'Bearer not-a-key',
    });
    const anonymous = await post({ query: '{ order(id: "000000000000000000000000") { id } }' }, accept);
    for (const r of [badKey, anonymous]) {
      expect([r.status, r.type, r.challenge, codes(r.body)]).toEqual([
        401,
        `${accept}; charset=utf-8`,
        'Bearer realm="ticketing"',
        ['UNAUTHENTICATED'],
      ]);
    }
  });

  test('with something served the answer is 200, its errors naming the refused fields', async () => {
    const r = await post(
      {
        query: '{ tickets(first: 1) { edges { node { id } } } order(id: "000000000000000000000000") { id } }',
      },
      accept,
    );
    expect([r.status, r.challenge, codes(r.body)]).toEqual([200, null, ['UNAUTHENTICATED']]);
    expect(r.body.data).toEqual({ tickets: { edges: expect.any(Array) }, order: null });
  });

  test('an API key calling what only a session may: 403 FORBIDDEN', async () => {
    const owner = await signUp(stack.gateway.url, 'http.owner');
    const key = await gql<{ createApiKey: { secret: string } }>(
      stack.gateway.url,
      'mutation { createApiKey(name: "audit") { secret } }',
      {},
      { cookie: owner.cookie },
    );
    const secret = key.data?.createApiKey.secret ?? '';
    const r = await post({ query: 'mutation { createApiKey(name: "more") { secret } }' }, accept, {
      authorization: `Bearer ${secret}`,
    });
    expect([r.status, r.challenge, codes(r.body)]).toEqual([403, null, ['FORBIDDEN']]);
  });
});
