import {
  DEV_INTERNAL_JWT_KEY,
  IDENTITY_HEADER,
  type Identity,
  SessionProtocol,
  signIdentity,
} from '@ticketing/kit/auth';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Redis } from 'ioredis';
import { AccountBans } from './AccountBans';
import { runAdminCommand } from './adminCommand';
import type { UsersService } from './createUsersService';
import { readUsersSettings } from './settings';
import { startTestUsers, stopTestUsers } from './testing';
import { SIGN_IN_FAILED } from './UserResolver';

// Issue 21, point 1 (users' side): `npm run admin` and the operator-only mutations ban and unban;
// a banned account is told so at sign-in (only with the right password); the ban is recorded
// with UserUpdated { banned } and marked in Redis for the gateways. e2e/src/bans.test.ts shows
// what the gateways do with it.

const prefix = `${testDatabaseName('users_bans')}:`;
let users: UsersService;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
beforeAll(async () => {
  users = await startTestUsers('users_bans', { REDIS_PREFIX: prefix });
});
afterAll(async () => {
  redis.disconnect();
  await stopTestUsers(users);
});
const admin = (...args: string[]) =>
  runAdminCommand(args, {
    settings: readUsersSettings({ ...process.env, REDIS_PREFIX: prefix }),
    dbName: users.models.Users.db.name,
  });

let addresses = 0;
async function post(query: string, variables: object, identity: Identity | null = null) {
  const from = `10.22.0.${(addresses++ % 250) + 1}`;
  const res = await fetch(users.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: signIdentity({ identity, clientAddress: from }, DEV_INTERNAL_JWT_KEY),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return { ...body, token: res.headers.get(SessionProtocol.header) };
}
const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const SIGN_UP = 'mutation ($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }';
const SIGN_IN = 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }';
const BAN = 'mutation ($e: String!) { banAccount(email: $e) }';
const UNBAN = 'mutation ($e: String!) { unbanAccount(email: $e) }';

async function account() {
  const email = unique('ban');
  const up = await post(SIGN_UP, { e: email, p: 'the-password' });
  const claims = SessionProtocol.verifySession(up.token ?? '', SessionProtocol.devJwtKey);
  if (!claims) throw new Error('no session');
  return {
    email,
    userId: claims.sub,
    session: { userId: claims.sub, sessionId: claims.sid, via: 'session' } as Identity,
  };
}
const mark = (userId: string) => redis.get(SessionProtocol.userRevokedKey(prefix, userId));

test('npm run admin bans: the account is marked banned for the gateways, told so at sign-in, and UserUpdated says so', async () => {
  const { email, userId } = await account();
  expect(await admin('ban', email.toUpperCase())).toBe(`${email} (${userId}) is banned`);
  expect(await mark(userId)).toBe('banned');

  const refused = await post(SIGN_IN, { e: email, p: 'the-password' });
  expect([codeOf(refused), refused.token]).toEqual(['ACCOUNT_BANNED', null]);
  expect(refused.errors?.[0]?.message).toMatch(/banned/);
  // Without the password nothing tells that the account is banned.
  const guess = await post(SIGN_IN, { e: email, p: 'a-wrong-guess' });
  expect(guess.errors?.[0]?.message).toBe(SIGN_IN_FAILED);

  const doc = await eventually(() => users.models.Users.findById(userId).lean());
  expect(doc.banned).toBe(true);
  expect(doc.outbox.filter((e) => e.type === 'UserUpdated').map((e) => JSON.parse(e.event).data)).toEqual([
    { banned: true },
  ]);
  // Twice is fine, and changes nothing more.
  await admin('ban', email);
  expect((await users.models.Users.findById(userId).lean())?.version).toBe(doc.version);

  const before = Date.now();
  expect(await admin('unban', email)).toBe(`${email} (${userId}) is no longer banned`);
  expect(Number(await mark(userId))).toBeGreaterThanOrEqual(before);
  expect((await post(SIGN_IN, { e: email, p: 'the-password' })).token).toBeTruthy();
});

test('only an operator may call banAccount and unbanAccount; the admin command grants the role', async () => {
  const operator = await account();
  const target = await account();
  expect(codeOf(await post(BAN, { e: target.email }, operator.session))).toBe('FORBIDDEN');
  expect(codeOf(await post(BAN, { e: target.email }))).toBe('UNAUTHENTICATED');
  const key: Identity = { userId: operator.userId, apiKeyId: 'k1', via: 'apiKey', scopes: ['read', 'buy'] };

  expect(await admin('grant-operator', operator.email)).toBe(`${operator.email} is an operator`);
  expect(codeOf(await post(BAN, { e: target.email }, key))).toBe('FORBIDDEN');
  expect(codeOf(await post(BAN, { e: unique('nobody') }, operator.session))).toBe('NOT_FOUND');
  expect(codeOf(await post(BAN, { e: operator.email }, operator.session))).toBe('FORBIDDEN');
  expect(await post(BAN, { e: target.email }, operator.session)).toMatchObject({
    data: { banAccount: true },
  });
  expect(await mark(target.userId)).toBe('banned');
  expect(codeOf(await post(SIGN_IN, { e: target.email, p: 'the-password' }))).toBe('ACCOUNT_BANNED');
  expect(await post(UNBAN, { e: target.email }, operator.session)).toMatchObject({
    data: { unbanAccount: true },
  });
  expect(codeOf(await post(SIGN_IN, { e: target.email, p: 'the-password' }))).toBeUndefined();

  expect(await admin('revoke-operator', operator.email)).toBe(`${operator.email} is not an operator`);
  expect(codeOf(await post(BAN, { e: target.email }, operator.session))).toBe('FORBIDDEN');
});

test('the bans in the database are marked in Redis again at start (a flushed Redis)', async () => {
  const { email, userId } = await account();
  await admin('ban', email);
  await redis.del(SessionProtocol.userRevokedKey(prefix, userId));
  const bans = new AccountBans({
    models: users.models,
    redis,
    redisPrefix: prefix,
    sessionMaxAgeSeconds: 60,
  });
  expect(await bans.publishAll()).toBeGreaterThanOrEqual(1);
  expect(await mark(userId)).toBe('banned');
});

test('the admin command refuses what it does not know, naming its usage', async () => {
  await expect(admin('banish', 'x@example.com')).rejects.toThrow(/usage: npm run admin/);
  await expect(admin('ban')).rejects.toThrow(/usage/);
  await expect(admin('ban', unique('nobody'))).rejects.toThrow(/no account has the email/);
});
