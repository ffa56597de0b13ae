import { randomBytes, scryptSync } from 'node:crypto';
import {
  DEV_INTERNAL_JWT_KEY,
  IDENTITY_HEADER,
  type Identity,
  SessionProtocol,
  signIdentity,
} from '@ticketing/kit/auth';
import { Types } from 'mongoose';
import type { UsersService } from './createUsersService';
import { startTestUsers, stopTestUsers } from './testing';
import { SIGN_IN_FAILED } from './UserResolver';

// Issue 14, point 5: sign-in throttling counted before the password check, per account and address,
// with a growing back-off; sign-ups limited per address; hashes upgraded on sign-in. Through the
// users subgraph as the gateway calls it (its signed identity carries the client's address).

// Longer than 40 requests take on a loaded machine: the back-off must not end while they arrive.
const BACKOFF_SECONDS = 12;
let users: UsersService;
beforeAll(async () => {
  users = await startTestUsers('users_protect', {
    SIGN_IN_FREE_ATTEMPTS: '5',
    SIGN_IN_BACKOFF_SECONDS: String(BACKOFF_SECONDS),
    SIGN_UP_PER_ADDRESS: '3',
  });
});
afterAll(() => stopTestUsers(users));

interface Reply {
  data?: Record<string, { id: string } | null> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; retryAfterSeconds?: number } }>;
  session: boolean;
}
const post = async (query: string, variables: object, from: string, identity: Identity | null = null) => {
  const token = signIdentity({ identity, clientAddress: from }, DEV_INTERNAL_JWT_KEY);
  const res = await fetch(users.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<Reply, 'session'>;
  return { ...body, session: res.headers.has(SessionProtocol.header) } as Reply;
};
const SIGN_UP = 'mutation ($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }';
const SIGN_IN = 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }';
const CHANGE_EMAIL = 'mutation ($e: String!, $p: String!) { changeEmail(email: $e, password: $p) { id } }';
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
let addresses = 0;
const newAddress = () => `10.14.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;
const signUp = async (email: string, password: string) => {
  const up = await post(SIGN_UP, { e: email, p: password }, newAddress());
  return up.data?.signUp?.id ?? '';
};
const codeOf = (r: Reply) => r.errors?.[0]?.extensions?.code;

test('40 concurrent wrong passwords: 5 reach the password check, the rest wait; the right one works after the wait', async () => {
  const email = unique('guessed');
  await signUp(email, 'the-right-one');
  const from = newAddress();
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) => post(SIGN_IN, { e: email, p: `guess-${i}-wrong` }, from)),
  );
  const checked = replies.filter((r) => r.errors?.[0]?.message === SIGN_IN_FAILED);
  const limited = replies.filter((r) => codeOf(r) === 'RATE_LIMITED');
  expect([checked.length, limited.length]).toEqual([5, 35]);
  const wait = limited[0]?.errors?.[0]?.extensions?.retryAfterSeconds ?? 0;
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(BACKOFF_SECONDS);
  expect(limited[0]?.errors?.[0]?.message).toMatch(
    /^Too many sign-in attempts\. Try again in \d+ seconds?\.$/,
  );

  // Even the right password waits during the back-off; no session is started.
  const early = await post(SIGN_IN, { e: email, p: 'the-right-one' }, from);
  expect([codeOf(early), early.session]).toEqual(['RATE_LIMITED', false]);
  await new Promise((r) => setTimeout(r, (early.errors?.[0]?.extensions?.retryAfterSeconds ?? 0) * 1000));
  const after = await post(SIGN_IN, { e: email, p: 'the-right-one' }, from);
  expect([after.errors, after.session]).toEqual([undefined, true]);
});

test('each further failure doubles the wait, and the owner elsewhere is not locked out', async () => {
  const email = unique('doubling');
  await signUp(email, 'the-right-one');
  const attacker = newAddress();
  for (let i = 0; i < 5; i++) await post(SIGN_IN, { e: email, p: `wrong-${i}-guess` }, attacker);
  const first = await post(SIGN_IN, { e: email, p: 'wrong-again' }, attacker);
  expect(codeOf(first)).toBe('RATE_LIMITED');

  const owner = await post(SIGN_IN, { e: email, p: 'the-right-one' }, newAddress());
  expect([owner.errors, owner.session]).toEqual([undefined, true]);

  await new Promise((r) => setTimeout(r, (first.errors?.[0]?.extensions?.retryAfterSeconds ?? 0) * 1000));
  const sixth = await post(SIGN_IN, { e: email, p: 'wrong-sixth' }, attacker);
  expect(sixth.errors?.[0]?.message).toBe(SIGN_IN_FAILED);
  const next = await post(SIGN_IN, { e: email, p: 'wrong-seventh' }, attacker);
  expect(next.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(BACKOFF_SECONDS);
  expect(next.errors?.[0]?.extensions?.retryAfterSeconds).toBeLessThanOrEqual(2 * BACKOFF_SECONDS);
});

test('one address guessing across many accounts waits after 20 failures; right passwords do not count', async () => {
  const from = newAddress();
  const mine = unique('mine');
  await signUp(mine, 'my-password');
  for (let i = 0; i < 3; i++)
    expect((await post(SIGN_IN, { e: mine, p: 'my-password' }, from)).session).toBe(true);
  for (let i = 0; i < 20; i++) {
    const r = await post(SIGN_IN, { e: unique(`sprayed${i}`), p: 'password-1' }, from);
    expect(r.errors?.[0]?.message).toBe(SIGN_IN_FAILED);
  }
  expect(codeOf(await post(SIGN_IN, { e: unique('one-more'), p: 'password-1' }, from))).toBe('RATE_LIMITED');
  expect(codeOf(await post(SIGN_IN, { e: mine, p: 'my-password' }, from))).toBe('RATE_LIMITED');
  expect((await post(SIGN_IN, { e: mine, p: 'my-password' }, newAddress())).session).toBe(true);
});

test('changeEmail checks the password through the same throttle as signIn', async () => {
  const email = unique('changer');
  const userId = await signUp(email, 'the-right-one');
  const from = newAddress();
  for (let i = 0; i < 5; i++) await post(SIGN_IN, { e: email, p: `wrong-${i}-guess` }, from);
  const me: Identity = { userId, sessionId: 's1', via: 'session' };
  const change = await post(CHANGE_EMAIL, { e: unique('new'), p: 'the-right-one' }, from, me);
  expect(codeOf(change)).toBe('RATE_LIMITED');
  // And guesses through changeEmail count towards signIn's back-off.
  const other = newAddress();
  for (let i = 0; i < 5; i++) {
    const r = await post(CHANGE_EMAIL, { e: unique('new'), p: `wrong-${i}-guess` }, other, me);
    expect(r.errors?.[0]?.message).toBe(SIGN_IN_FAILED);
  }
  expect(codeOf(await post(SIGN_IN, { e: email, p: 'the-right-one' }, other))).toBe('RATE_LIMITED');
});

test('sign-ups are limited per address, and another address may still sign up', async () => {
  const from = newAddress();
  for (let i = 0; i < 3; i++) {
    const r = await post(SIGN_UP, { e: unique(`many${i}`), p: 'password-1' }, from);
    expect(r.errors).toBeUndefined();
  }
  const fourth = await post(SIGN_UP, { e: unique('many3'), p: 'password-1' }, from);
  expect(codeOf(fourth)).toBe('RATE_LIMITED');
  expect(fourth.errors?.[0]?.message).toMatch(
    /^Too many sign-ups from this address\. Try again in \d+ minutes?\.$/,
  );
  expect(fourth.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(3000);
  const elsewhere = await post(SIGN_UP, { e: unique('other'), p: 'password-1' }, newAddress());
  expect(elsewhere.errors).toBeUndefined();
});

test('a hash made with older parameters is replaced by an argon2id one on sign-in', async () => {
  const email = unique('legacy');
  const salt = randomBytes(16);
  const legacy = `scrypt$${salt.toString('base64url')}$${scryptSync('old-password', salt, 64, { N: 16384, r: 8, p: 1 }).toString('base64url')}`;
  const _id = new Types.ObjectId();
  await users.models.Users.collection.insertOne({ _id, email, passwordHash: legacy, version: 1, outbox: [] });

  const first = await post(SIGN_IN, { e: email, p: 'old-password' }, newAddress());
  expect([first.errors, first.session]).toEqual([undefined, true]);
  const stored = (await users.models.Users.findById(_id, { passwordHash: 1 }).lean())?.passwordHash;
  expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  const again = await post(SIGN_IN, { e: email, p: 'old-password' }, newAddress());
  expect([again.errors, again.session]).toEqual([undefined, true]);
  expect(codeOf(await post(SIGN_IN, { e: email, p: 'wrong-password' }, newAddress()))).toBe('BAD_USER_INPUT');
});
