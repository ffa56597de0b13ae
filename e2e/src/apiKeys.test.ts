import { SessionProtocol } from '@ticketing/kit/auth';
import { Redis } from 'ioredis';
import { gql } from './gql';
import { type Account, createTicket, signUp, waitUntilOrderable } from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 14, point 6: an API key reads, lists and buys, but never manages keys or the account; keys
// can expire, and an expired key is refused like a revoked one. Through the gateway.

let stack: TestStack;
let redis: Redis;
beforeAll(async () => {
  stack = await startTestStack('api_keys', {}, { payments: false });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await redis.quit();
  await stack.stop();
});
const url = () => stack.gateway.url;

interface Key {
  secret: string;
  apiKey: { id: string; expiresAt: string | null };
}
const newKey = async (owner: Account, expiresInDays?: number) => {
  const r = await gql<{ createApiKey: Key }>(
    url(),
    'mutation ($days: Int) { createApiKey(name: "integration", expiresInDays: $days) { secret apiKey { id expiresAt } } }',
    expiresInDays === undefined ? {} : { days: expiresInDays },
    { cookie: owner.cookie },
  );
  if (!r.data?.createApiKey) throw new Error(`createApiKey failed: ${JSON.stringify(r.errors)}`);
  return r.data.createApiKey;
};

test('a key reads and buys: me, tickets, createOrder and cancelOrder', async () => {
  const [seller, buyer] = [await signUp(url(), 'seller'), await signUp(url(), 'buyer')];
  const ticket = await createTicket(url(), seller, 'Keyed gig', 30);
  await waitUntilOrderable(url(), seller, ticket.id);
  const { secret } = await newKey(buyer);

  const me = await gql<{ me: { id: string } }>(url(), '{ me { id } }', {}, { bearer: secret });
  expect(me.data?.me.id).toBe(buyer.id);
  const read = await gql<{ ticket: { id: string } }>(
    url(),
    'query ($id: ID!) { ticket(id: $id) { id } }',
    { id: ticket.id },
    { bearer: secret },
  );
  expect(read.data?.ticket.id).toBe(ticket.id);

  const order = await gql<{ createOrder: { id: string; status: string } }>(
    url(),
    'mutation ($id: ID!) { createOrder(ticketId: $id) { id status } }',
    { id: ticket.id },
    { bearer: secret },
  );
  expect(order.errors).toBeUndefined();
  expect(order.data?.createOrder.status).toBe('CREATED');
  const cancelled = await gql<{ cancelOrder: { status: string } }>(
    url(),
    'mutation ($id: ID!) { cancelOrder(id: $id) { status } }',
    { id: order.data?.createOrder.id },
    { bearer: secret },
  );
  expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
});

test.each([
  ['createApiKey', 'mutation { createApiKey(name: "more") { secret } }', {}],
  ['revokeApiKey', 'mutation ($id: ID!) { revokeApiKey(id: $id) }', 'own key'],
  ['me.apiKeys', '{ me { id apiKeys { id } } }', {}],
  [
    'changeEmail',
    'mutation { changeEmail(email: "taken.over@example.com", password: "password-123") { id } }',
    {},
  ],
  ['signOut', 'mutation { signOut }', {}],
])('a key may not call %s: FORBIDDEN, saying to sign in', async (_, query, variables) => {
  const owner = await signUp(url(), 'owner');
  const key = await newKey(owner);
  const r = await gql(url(), query, variables === 'own key' ? { id: key.apiKey.id } : variables, {
    bearer: key.secret,
  });
  expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(r.errors?.[0]?.message).toBe(
    'API keys cannot manage API keys or change the account: sign in to do this',
  );
  // Nothing changed: the owner's session still lists exactly this one key, and it still works.
  const keys = await gql<{ me: { apiKeys: Array<{ id: string }> } }>(
    url(),
    '{ me { apiKeys { id } } }',
    {},
    { cookie: owner.cookie },
  );
  expect(keys.data?.me.apiKeys.map((k) => k.id)).toEqual([key.apiKey.id]);
  const still = await gql<{ me: { id: string } }>(url(), '{ me { id } }', {}, { bearer: key.secret });
  expect(still.data?.me.id).toBe(owner.id);
});

test('a key made to expire says when; once expired it is refused like a revoked one and no longer listed', async () => {
  const owner = await signUp(url(), 'expiring');
  const before = Date.now();
  const key = await newKey(owner, 30);
  const expiresAt = Date.parse(key.apiKey.expiresAt ?? '');
  expect(expiresAt - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
  expect(expiresAt - before).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);
  expect((await gql(url(), '{ me { id } }', {}, { bearer: key.secret })).status).toBe(200);

  // Thirty days pass: the record the gateway reads says the key expired a moment ago.
  const pattern = SessionProtocol.apiKeyKey(stack.redisPrefix, '*');
  for (const name of await redis.keys(pattern)) {
    const record = JSON.parse((await redis.get(name)) ?? '{}') as { keyId?: string };
    if (record.keyId === key.apiKey.id)
      await redis.set(name, JSON.stringify({ ...record, expiresAt: Date.now() - 1 }));
  }
  let refused = await gql(url(), '{ me { id } }', {}, { bearer: key.secret });
  for (let i = 0; i < 100 && refused.status !== 401; i++) {
    await new Promise((r) => setTimeout(r, 100)); // the gateway's key cache (API_KEY_CACHE_SECONDS)
    refused = await gql(url(), '{ me { id } }', {}, { bearer: key.secret });
  }
  expect([refused.status, refused.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  await stack.users.models.ApiKeys.updateOne(
    { _id: key.apiKey.id },
    { $set: { expiresAt: new Date(Date.now() - 1) } },
  );
  const keys = await gql<{ me: { apiKeys: unknown[] } }>(
    url(),
    '{ me { apiKeys { id } } }',
    {},
    { cookie: owner.cookie },
  );
  expect(keys.data?.me.apiKeys).toEqual([]);
});

test('an expiry out of range is BAD_USER_INPUT on expiresInDays; a key without one never expires', async () => {
  const owner = await signUp(url(), 'ranges');
  for (const days of [0, -1, 3651]) {
    const r = await gql(
      url(),
      'mutation ($days: Int) { createApiKey(name: "x", expiresInDays: $days) { secret } }',
      { days },
      { cookie: owner.cookie },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'expiresInDays', message: 'must be 1 to 3650' },
    ]);
  }
  expect((await newKey(owner)).apiKey.expiresAt).toBeNull();
});
