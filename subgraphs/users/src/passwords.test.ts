import { PASSWORD_RESET_SEAL_PURPOSE, PasswordResetRequested } from '@ticketing/events';
import {
  DEV_INTERNAL_JWT_KEY,
  IDENTITY_HEADER,
  type Identity,
  openText,
  SessionProtocol,
  signIdentity,
} from '@ticketing/kit/auth';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Redis } from 'ioredis';
import type { UsersService } from './createUsersService';
import { startTestUsers, stopTestUsers } from './testing';

// Issue 21, points 2 and 3: changing a password needs the current one, ends every other session
// and rotates this one; a reset by email is a single-use, short-lived token kept only as a hash,
// asked for with the same answer whether or not the email exists; both count in the sign-in
// throttle. Through the users subgraph as the gateway calls it.

let users: UsersService;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `${testDatabaseName('users_passwords')}:`;
beforeAll(async () => {
  users = await startTestUsers('users_passwords', {
    REDIS_PREFIX: prefix,
    SIGN_IN_FREE_ATTEMPTS: '3',
    SIGN_IN_BACKOFF_SECONDS: '30',
  });
});
afterAll(async () => {
  redis.disconnect();
  await stopTestUsers(users);
});

interface Reply {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; fields?: Array<{ field: string }> } }>;
  /** The session token users handed the gateway, if any. */
  token: string | null;
}
let addresses = 0;
const newAddress = () => `10.21.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;
async function post(query: string, variables: object, identity: Identity | null = null, from = newAddress()) {
  const res = await fetch(users.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: signIdentity({ identity, clientAddress: from }, DEV_INTERNAL_JWT_KEY),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<Reply, 'token'>;
  return { ...body, token: res.headers.get(SessionProtocol.header) } as Reply;
}
const codeOf = (r: Reply) => r.errors?.[0]?.extensions?.code;
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const SIGN_UP = 'mutation ($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }';
const SIGN_IN = 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }';
const CHANGE =
  'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id email } }';
const REQUEST = 'mutation ($e: String!) { requestPasswordReset(email: $e) }';
const RESET =
  'mutation ($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) { id email } }';

/** A new account and the session its sign-up started. */
async function account(password = 'first-password') {
  const email = unique('pw');
  const up = await post(SIGN_UP, { e: email, p: password });
  const claims = SessionProtocol.verifySession(up.token ?? '', SessionProtocol.devJwtKey);
  if (!claims) throw new Error('no session');
  const session: Identity = { userId: claims.sub, sessionId: claims.sid, via: 'session' };
  return { email, userId: claims.sub, session, startedAt: claims.st };
}
/** The user's revocation mark, as the gateway reads it. */
const mark = (userId: string) => redis.get(SessionProtocol.userRevokedKey(prefix, userId));

/** The reset token the email worker would get: opened from the account's outbox event. */
async function mailedToken(userId: string, after = 0): Promise<string> {
  return eventually(async () => {
    const doc = await users.models.Users.findById(userId, { outbox: 1 }).lean();
    const entries = (doc?.outbox ?? []).filter((e) => e.type === 'PasswordResetRequested').slice(after);
    if (!entries[0]) return null;
    const event = PasswordResetRequested.parse(JSON.parse(entries[0].event));
    return openText(DEV_INTERNAL_JWT_KEY, PASSWORD_RESET_SEAL_PURPOSE, userId, event.data.sealedToken);
  });
}

test('changing the password needs the current one; then every session before it ends and this one gets a new id', async () => {
  const { email, userId, session } = await account();
  const wrong = await post(CHANGE, { c: 'not-the-password', n: 'second-password' }, session);
  expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
  expect(wrong.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('currentPassword');
  expect(codeOf(await post(CHANGE, { c: 'first-password', n: 'short' }, session))).toBe('BAD_USER_INPUT');

  const before = Date.now();
  const changed = await post(CHANGE, { c: 'first-password', n: 'second-password' }, session);
  expect(changed.errors).toBeUndefined();
  expect(changed.data?.changePassword).toEqual({ id: userId, email });
  const renewed = SessionProtocol.verifySession(changed.token ?? '', SessionProtocol.devJwtKey);
  expect(renewed?.sid).toBeDefined();
  expect(renewed?.sid).not.toBe(session.sessionId);
  // Every session started before the change is revoked (the gateway reads this mark), not the new one.
  const revokedBefore = Number(await mark(userId));
  expect(revokedBefore).toBeGreaterThanOrEqual(before);
  expect(SessionProtocol.revokedByUser(String(revokedBefore), renewed?.st ?? 0)).toBe(false);
  expect(await redis.get(SessionProtocol.revokedKey(prefix, session.sessionId ?? ''))).toBe('1');

  expect(codeOf(await post(SIGN_IN, { e: email, p: 'first-password' }))).toBe('BAD_USER_INPUT');
  expect((await post(SIGN_IN, { e: email, p: 'second-password' })).token).toBeTruthy();
});

test('changePassword counts in the sign-in throttle', async () => {
  const { email, session } = await account();
  const from = newAddress();
  for (let i = 0; i < 3; i++)
    await post(CHANGE, { c: `wrong-${i}-guess`, n: 'second-password' }, session, from);
  expect(codeOf(await post(CHANGE, { c: 'first-password', n: 'second-password' }, session, from))).toBe(
    'RATE_LIMITED',
  );
  expect(codeOf(await post(SIGN_IN, { e: email, p: 'first-password' }, null, from))).toBe('RATE_LIMITED');
});

test('a reset request answers the same for an unknown email; for an account it stores only the hash of a token it seals for the mail', async () => {
  const { email, userId } = await account();
  const unknown = await post(REQUEST, { e: unique('nobody') });
  const known = await post(REQUEST, { e: email.toUpperCase() });
  expect(unknown).toEqual(known);
  expect(known).toEqual({ data: { requestPasswordReset: true }, token: null });

  const token = await mailedToken(userId);
  const doc = await users.models.Users.findById(userId).lean();
  const stored = JSON.stringify(doc);
  expect(stored).not.toContain(token);
  expect(stored).not.toContain(token.split('.')[1]);
  expect(doc?.passwordReset?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  expect(doc?.passwordReset?.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
});

test('a reset token sets the password once, ends every session and signs in; a second use is refused', async () => {
  const { email, userId, startedAt } = await account();
  await post(REQUEST, { e: email });
  const token = await mailedToken(userId);
  const reset = await post(RESET, { t: token, n: 'reset-password' });
  expect(reset.errors).toBeUndefined();
  expect(reset.data?.resetPassword).toEqual({ id: userId, email });
  expect(reset.token).toBeTruthy();
  expect(SessionProtocol.revokedByUser(await mark(userId), startedAt)).toBe(true);

  const again = await post(RESET, { t: token, n: 'another-password' });
  expect(codeOf(again)).toBe('BAD_USER_INPUT');
  expect(again.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('token');
  expect((await post(SIGN_IN, { e: email, p: 'reset-password' })).token).toBeTruthy();
  expect(codeOf(await post(SIGN_IN, { e: email, p: 'first-password' }))).toBe('BAD_USER_INPUT');
});

test('an expired, tampered or replaced token resets nothing', async () => {
  const { email, userId } = await account();
  await post(REQUEST, { e: email });
  const first = await mailedToken(userId);
  await post(REQUEST, { e: email });
  const second = await mailedToken(userId, 1);
  expect(second).not.toBe(first);
  expect(codeOf(await post(RESET, { t: first, n: 'reset-password' }))).toBe('BAD_USER_INPUT');
  expect(codeOf(await post(RESET, { t: `${second.slice(0, -3)}AAA`, n: 'reset-password' }))).toBe(
    'BAD_USER_INPUT',
  );
  expect(codeOf(await post(RESET, { t: 'not-a-token', n: 'reset-password' }))).toBe('BAD_USER_INPUT');

  await users.models.Users.updateOne(
    { _id: userId },
    { $set: { 'passwordReset.expiresAt': new Date(Date.now() - 1) } },
  );
  expect(codeOf(await post(RESET, { t: second, n: 'reset-password' }))).toBe('BAD_USER_INPUT');
  expect((await post(SIGN_IN, { e: email, p: 'first-password' })).token).toBeTruthy();
});

test('reset requests and reset attempts count in the sign-in throttle, known email or not', async () => {
  const from = newAddress();
  const { email } = await account();
  for (let i = 0; i < 3; i++)
    expect((await post(REQUEST, { e: email }, null, from)).data).toEqual({ requestPasswordReset: true });
  const known = await post(REQUEST, { e: email }, null, from);
  const nobody = unique('nobody');
  for (let i = 0; i < 3; i++) await post(REQUEST, { e: nobody }, null, from);
  const unknown = await post(REQUEST, { e: nobody }, null, from);
  expect([codeOf(known), codeOf(unknown)]).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
});
