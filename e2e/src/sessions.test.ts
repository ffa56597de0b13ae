import { SessionProtocol } from '@ticketing/kit/auth';
import jwt from 'jsonwebtoken';
import { gql, sessionCookie } from './gql';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 4, point 1: sign up, sign in, me and sign out through the gateway on the real
// infrastructure, with the cookie attributes; replayed and tampered cookies are anonymous.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('gw_sessions');
});
afterAll(() => stack.stop());

const SIGN_UP =
  'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { id email } }';
const SIGN_IN =
  'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { id email } }';
const ME = '{ me { id email } }';
const url = () => stack.gateway.url;
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;

test('signing up sets an HttpOnly, SameSite=Lax, Path=/ session cookie and me knows the user', async () => {
  const email = unique('Ada');
  const up = await gql<{ signUp: { id: string; email: string } }>(url(), SIGN_UP, {
    email: `  ${email.toUpperCase()} `,
    password: 'correct horse',
  });
  expect(up.errors).toBeUndefined();
  expect(up.data?.signUp.email).toBe(email.toLowerCase());

  const setCookie = up.setCookies.find((c) => c.startsWith('session='));
  expect(setCookie).toBeDefined();
  expect(setCookie).toMatch(/; HttpOnly/);
  expect(setCookie).toMatch(/; SameSite=Lax/);
  expect(setCookie).toMatch(/; Path=\//);
  expect(setCookie).not.toMatch(/; Secure/); // local development; COOKIE_SECURE turns it on

  const me = await gql<{ me: { id: string; email: string } | null }>(
    url(),
    ME,
    {},
    { cookie: sessionCookie(up.setCookies) },
  );
  expect(me.data?.me).toEqual({ id: up.data?.signUp.id, email: email.toLowerCase() });
});

test('without a cookie, me is null', async () => {
  const me = await gql(url(), ME);
  expect(me.errors).toBeUndefined();
  expect(me.data).toEqual({ me: null });
});

test('sign in, sign out: the cookie is cleared, and replaying the old cookie is anonymous', async () => {
  const email = unique('grace');
  await gql(url(), SIGN_UP, { email, password: 'hopper-1906' });
  const signIn = await gql<{ signIn: { id: string } }>(url(), SIGN_IN, { email, password: 'hopper-1906' });
  expect(signIn.errors).toBeUndefined();
  const cookie = sessionCookie(signIn.setCookies);
  expect(cookie).toBeDefined();
  expect((await gql<{ me: { id: string } }>(url(), ME, {}, { cookie })).data?.me?.id).toBe(
    signIn.data?.signIn.id,
  );

  const out = await gql(url(), 'mutation { signOut }', {}, { cookie });
  expect(out.data).toEqual({ signOut: true });
  expect(out.setCookies.find((c) => c.startsWith('session='))).toMatch(/Max-Age=0/);

  const replay = await gql(url(), ME, {}, { cookie });
  expect(replay.errors).toBeUndefined();
  expect(replay.data).toEqual({ me: null });
});

test('a tampered, forged or expired cookie is anonymous, never an error', async () => {
  const email = unique('tamper');
  const up = await gql<{ signUp: { id: string } }>(url(), SIGN_UP, { email, password: 'tamper-proof' });
  const cookie = sessionCookie(up.setCookies) ?? '';
  const token = cookie.slice('session='.length);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const otherUser = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '0'.repeat(24) }),
  ).toString('base64url');
  const variants = [
    `session=${header}.${payload}.${signature.slice(0, -2)}xx`,
    `session=${header}.${otherUser}.${signature}`,
    `session=${jwt.sign({ sid: 'x' }, 'not-the-key', { subject: up.data?.signUp.id ?? '', expiresIn: 600 })}`,
    `session=${jwt.sign({ sid: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, SessionProtocol.devJwtKey, { subject: up.data?.signUp.id ?? '' })}`,
    'session=garbage',
  ];
  for (const bad of variants) {
    const me = await gql(url(), ME, {}, { cookie: bad });
    expect(me.status).toBe(200);
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: null });
  }
});

test('a live session past half its lifetime is renewed with a fresh cookie', async () => {
  const email = unique('renew');
  const up = await gql<{ signUp: { id: string } }>(url(), SIGN_UP, { email, password: 'renew-me-please' });
  const old = jwt.sign({ sid: 'renew-session' }, SessionProtocol.devJwtKey, {
    subject: up.data?.signUp.id ?? '',
    expiresIn: 60, // well under half of the 900 s lifetime left
  });
  const me = await gql<{ me: { id: string } }>(url(), ME, {}, { cookie: `session=${old}` });
  expect(me.data?.me?.id).toBe(up.data?.signUp.id);
  const renewed = sessionCookie(me.setCookies);
  expect(renewed).toBeDefined();
  expect(renewed).not.toBe(`session=${old}`);
  const claims = jwt.decode(renewed?.slice('session='.length) ?? '') as { exp: number; sid: string };
  expect(claims.sid).toBe('renew-session');
  expect(claims.exp - Date.now() / 1000).toBeGreaterThan(600);
});
