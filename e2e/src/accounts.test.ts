import { IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';
import { SIGN_IN_FAILED } from '@ticketing/users';
import { gql, sessionCookie } from './gql';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 4, points 2–5 (and the gateway's limits), through the gateway on the real infrastructure.

let stack: TestStack;
beforeAll(async () => {
  // A back-off longer than this file's slowest pair of sign-ins, so the refusal below is certain.
  stack = await startTestStack('gw_accounts', { SIGN_IN_BACKOFF_SECONDS: '60' });
});
afterAll(() => stack.stop());

const SIGN_UP =
  'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { id } }';
const SIGN_IN =
  'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { id } }';
const url = () => stack.gateway.url;
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;

describe('bad input is BAD_USER_INPUT with fields, never INTERNAL_SERVER_ERROR (point 2)', () => {
  test('an invalid email and a short password are both named', async () => {
    const r = await gql(url(), SIGN_UP, { email: 'not-an-email', password: 'short' });
    expect(r.data).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'email', message: 'must be a valid email address' },
      { field: 'password', message: 'must be 8 to 128 characters' },
    ]);
  });

  test('a password over 128 characters is refused', async () => {
    const r = await gql(url(), SIGN_UP, { email: unique('long'), password: 'x'.repeat(129) });
    expect(r.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'password', message: 'must be 8 to 128 characters' },
    ]);
  });

  test('an email in use (in any case) is refused on the email field', async () => {
    const email = unique('taken');
    expect((await gql(url(), SIGN_UP, { email, password: 'first-password' })).errors).toBeUndefined();
    const again = await gql(url(), SIGN_UP, { email: email.toUpperCase(), password: 'second-password' });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'email', message: 'already in use' }],
    });
  });

  test('a wrong password and an unknown email give the one same sign-in failure', async () => {
    const email = unique('wrong');
    await gql(url(), SIGN_UP, { email, password: 'right-password' });
    const wrong = await gql(url(), SIGN_IN, { email, password: 'wrong-password' });
    const unknown = await gql(url(), SIGN_IN, { email: unique('nobody'), password: 'wrong-password' });
    expect(wrong.errors?.[0]?.message).toBe(SIGN_IN_FAILED);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors).toEqual(wrong.errors);
  });

  test('a variable of the wrong type is a request error, not an internal one', async () => {
    const r = await gql(url(), SIGN_UP, { email: 42, password: null });
    expect(r.errors?.length).toBeGreaterThan(0);
    for (const e of r.errors ?? []) expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  test('repeated failed sign-ins for one email are refused for a while with RATE_LIMITED, saying when', async () => {
    const email = unique('throttled');
    await gql(url(), SIGN_UP, { email, password: 'real-password' });
    for (let i = 0; i < 5; i++) {
      const r = await gql(url(), SIGN_IN, { email, password: `guess-${i}-wrong` });
      expect(r.errors?.[0]?.message).toBe(SIGN_IN_FAILED);
    }
    const blocked = await gql(url(), SIGN_IN, { email, password: 'real-password' });
    expect(blocked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.errors?.[0]?.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/);
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(blocked.setCookies.find((c) => c.startsWith('session=') && !/Max-Age=0/.test(c))).toBeUndefined();
  });
});

test('five concurrent sign-ups with one email create one account (point 3)', async () => {
  const email = unique('race');
  const replies = await Promise.all(
    Array.from({ length: 5 }, (_, i) => gql(url(), SIGN_UP, { email, password: `racer-number-${i}` })),
  );
  const winners = replies.filter((r) => !r.errors);
  const losers = replies.filter((r) => r.errors);
  expect(winners).toHaveLength(1);
  expect(losers.map((r) => r.errors?.[0]?.extensions?.fields)).toEqual(
    Array(4).fill([{ field: 'email', message: 'already in use' }]),
  );
  expect(await stack.users.models.Users.countDocuments({ email })).toBe(1);
});

test('an API key works as a Bearer token and stops working after revokeApiKey (point 4)', async () => {
  const email = unique('integrator');
  const up = await gql<{ signUp: { id: string } }>(url(), SIGN_UP, { email, password: 'integrate-all' });
  const cookie = sessionCookie(up.setCookies);
  const created = await gql<{ createApiKey: { secret: string; apiKey: { id: string; name: string } } }>(
    url(),
    'mutation { createApiKey(name: "ci") { secret apiKey { id name } } }',
    {},
    { cookie },
  );
  expect(created.errors).toBeUndefined();
  const { secret, apiKey } = created.data?.createApiKey ?? { secret: '', apiKey: { id: '' } };

  const me = await gql<{ me: { id: string; email: string } }>(
    url(),
    '{ me { id email } }',
    {},
    { bearer: secret },
  );
  expect(me.data?.me.id).toBe(up.data?.signUp.id);
  expect(me.data?.me.email).toBe(email);
  // Keys are listed to the signed-in owner (a key may not list keys: e2e/src/apiKeys.test.ts).
  const keys = await gql<{ me: { apiKeys: Array<{ id: string; lastUsedAt: string | null }> } }>(
    url(),
    '{ me { apiKeys { id name createdAt lastUsedAt } } }',
    {},
    { cookie },
  );
  expect(keys.data?.me.apiKeys.map((k) => k.id)).toEqual([apiKey.id]);
  expect(keys.data?.me.apiKeys[0]?.lastUsedAt).not.toBeNull();

  const revoked = await gql(
    url(),
    'mutation ($id: ID!) { revokeApiKey(id: $id) }',
    { id: apiKey.id },
    { cookie },
  );
  expect(revoked.data).toEqual({ revokeApiKey: true });

  // The gateway drops the key from its cache when users announces the revocation (Redis pub/sub);
  // its cache lifetime (API_KEY_CACHE_SECONDS) bounds the delay otherwise.
  let after = await gql(url(), '{ me { id } }', {}, { bearer: secret });
  for (let i = 0; i < 50 && after.status !== 401; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await gql(url(), '{ me { id } }', {}, { bearer: secret });
  }
  expect(after.status).toBe(401);
  expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const list = await gql<{ me: { apiKeys: unknown[] } }>(url(), '{ me { apiKeys { id } } }', {}, { cookie });
  expect(list.data?.me.apiKeys).toEqual([]);
});

describe('subgraphs answer only the gateway (issue 14, point 8)', () => {
  const ME = '{ me { id email } }';
  const signedUp = async () => {
    const up = await gql<{ signUp: { id: string } }>(url(), SIGN_UP, {
      email: unique('victim'),
      password: 'victim-pass',
    });
    return up.data?.signUp.id ?? '';
  };

  test("a request straight to a subgraph without the gateway's token, or with a made-up one, is refused 401", async () => {
    const userId = await signedUp();
    const unsigned = (claims: object) =>
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const forged = [
      signIdentity({ identity: { userId, via: 'session' } }, 'a-guessed-key'),
      signIdentity({ identity: null }, 'a-guessed-key'),
      unsigned({ sub: userId, via: 'session', exp: Math.floor(Date.now() / 1000) + 60 }),
      JSON.stringify({ userId, via: 'session' }),
      userId,
    ];
    const subgraphs = [stack.users.url, stack.tickets?.url ?? '', stack.orders?.url ?? ''];
    for (const subgraph of subgraphs) {
      const bare = await gql(subgraph, '{ __typename }');
      expect([bare.status, bare.errors?.[0]?.extensions?.code, bare.data]).toEqual([
        401,
        'UNAUTHENTICATED',
        undefined,
      ]);
      expect(bare.errors?.[0]?.message).toMatch(/answers only the gateway/);
    }
    for (const header of forged) {
      const r = await gql(stack.users.url, ME, {}, { headers: { [IDENTITY_HEADER]: header } });
      expect([r.status, r.errors?.[0]?.extensions?.code, r.data]).toEqual([
        401,
        'UNAUTHENTICATED',
        undefined,
      ]);
    }
    // The same call with the anonymous identity the gateway signs is answered.
    const anonymous = signIdentity({ identity: null }, stack.settings.INTERNAL_JWT_KEY);
    const ok = await gql(stack.users.url, ME, {}, { headers: { [IDENTITY_HEADER]: anonymous } });
    expect([ok.status, ok.data]).toEqual([200, { me: null }]);
  });

  test('an _entities representation whose id is an operator object resolves nothing, in every subgraph', async () => {
    const userId = await signedUp();
    const seller = signIdentity({ identity: { userId, via: 'session' } }, stack.settings.INTERNAL_JWT_KEY);
    const headers = { [IDENTITY_HEADER]: seller };
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }';
    const hostile = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }, 7, [userId]];
    for (const subgraph of [stack.users.url, stack.tickets?.url ?? '', stack.orders?.url ?? '']) {
      const r = await gql<{ _entities: unknown[] }>(
        subgraph,
        entities,
        { r: hostile.map((id) => ({ __typename: 'User', id })) },
        { headers },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?._entities).toEqual(hostile.map(() => null));
    }
    // tickets' User is a stub whose `tickets` filters by the representation's id: an operator never gets there.
    const stub = await gql<{ _entities: unknown[] }>(
      stack.tickets?.url ?? '',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id tickets { id } } } }',
      {
        r: [
          { __typename: 'User', id: { $ne: null } },
          { __typename: 'User', id: userId },
        ],
      },
      { headers },
    );
    expect(stub.errors).toBeUndefined();
    expect(stub.data?._entities).toEqual([null, { id: userId, tickets: [] }]);
  });
});

describe('gateway limits', () => {
  test('a query nested 40 levels deep is refused before execution', async () => {
    const query = `{ me ${'{ apiKeys '.repeat(39)}{ id }${' }'.repeat(39)} }`;
    const r = await gql(url(), query);
    // application/json: a request error is 200 with errors (GraphQL over HTTP), 400 as graphql-response+json.
    expect(r.status).toBe(200);
    expect(r.errors?.some((e) => /nested too deeply/.test(e.message))).toBe(true);
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('CSRF prevention: a simple GET without a preflight header is refused', async () => {
    const res = await fetch(`${url()}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${url()}?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await ok.json()).toMatchObject({ data: { me: null } });
  });

  test('CORS: only allow-listed origins get credentials', async () => {
    const preflight = (origin: string) =>
      fetch(url(), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('health and readiness', async () => {
    const base = url().replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, problems: [], down: [] });
  });
});
