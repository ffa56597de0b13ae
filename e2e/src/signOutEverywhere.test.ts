import type { Gateway } from '@ticketing/gateway';
import { SessionProtocol } from '@ticketing/kit/auth';
import { gql, sessionCookie } from './gql';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 21, point 2: sign out of all devices, a password change that ends every other session
// and rotates this one's id, and an absolute session age no renewal passes; across two gateways.

let stack: TestStack;
let second: Gateway;
beforeAll(async () => {
  stack = await startTestStack('gw_everywhere');
  second = await startGatewayReplica(stack);
});
afterAll(async () => {
  await second.stop();
  await stack.stop();
});

const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const ME = '{ me { id } }';
async function signIn(url: string, email: string, password = 'password-123'): Promise<string> {
  const r = await gql(url, 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }', {
    e: email,
    p: password,
  });
  const cookie = sessionCookie(r.setCookies);
  if (!cookie) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return cookie;
}
async function account() {
  const email = unique('devices');
  const up = await gql<{ signUp: { id: string } }>(
    stack.gateway.url,
    'mutation ($e: String!) { signUp(email: $e, password: "password-123") { id } }',
    { e: email },
  );
  return { email, id: up.data?.signUp.id ?? '' };
}
const meId = async (url: string, cookie: string) =>
  (await gql<{ me: { id: string } | null }>(url, ME, {}, { cookie })).data?.me?.id ?? null;
const sid = (cookie: string) =>
  SessionProtocol.verifySession(cookie.slice('session='.length), SessionProtocol.devJwtKey)?.sid;

test('signing out everywhere ends every session of the account on both gateways, this one included', async () => {
  const [a, b] = [stack.gateway.url, second.url];
  const { email, id } = await account();
  const laptop = await signIn(a, email);
  const phone = await signIn(b, email);
  const someoneElse = await signIn(a, (await account()).email);
  expect([await meId(a, laptop), await meId(b, phone)]).toEqual([id, id]);

  const out = await gql(b, 'mutation { signOutEverywhere }', {}, { cookie: phone });
  expect(out.data).toEqual({ signOutEverywhere: true });
  expect(out.setCookies.find((c) => c.startsWith('session='))).toMatch(/Max-Age=0/);
  expect([await meId(a, laptop), await meId(b, laptop), await meId(a, phone)]).toEqual([null, null, null]);
  expect(await meId(b, someoneElse)).not.toBeNull();
  // Signing in again afterwards works at once.
  expect(await meId(a, await signIn(b, email))).toBe(id);
});

test('signing in rotates the session id; the session the request came with ends', async () => {
  const { email, id } = await account();
  const first = await signIn(stack.gateway.url, email);
  const r = await gql(
    second.url,
    'mutation ($e: String!) { signIn(email: $e, password: "password-123") { id } }',
    { e: email },
    { cookie: first },
  );
  const next = sessionCookie(r.setCookies) ?? '';
  expect(sid(next)).toBeDefined();
  expect(sid(next)).not.toBe(sid(first));
  expect([await meId(stack.gateway.url, first), await meId(stack.gateway.url, next)]).toEqual([null, id]);
});

test('a password change ends every other session on both gateways and continues this one under a new id', async () => {
  const [a, b] = [stack.gateway.url, second.url];
  const { email, id } = await account();
  const here = await signIn(a, email);
  const elsewhere = await signIn(b, email);
  const changed = await gql(
    a,
    'mutation { changePassword(currentPassword: "password-123", newPassword: "password-456") { id } }',
    {},
    { cookie: here },
  );
  expect(changed.errors).toBeUndefined();
  const renewed = sessionCookie(changed.setCookies) ?? '';
  expect(sid(renewed)).not.toBe(sid(here));
  expect([await meId(b, elsewhere), await meId(a, here)]).toEqual([null, null]);
  expect([await meId(a, renewed), await meId(b, renewed)]).toEqual([id, id]);
  await expect(signIn(b, email)).rejects.toThrow(/sign-in failed/);
  expect(await meId(b, await signIn(b, email, 'password-456'))).toBe(id);
});

test('a session is never renewed past its absolute end, and is refused after it', async () => {
  const { id } = await account();
  const st = Date.now() - SessionProtocol.maxAgeSeconds * 1000 + 4_000;
  const end = Math.floor(st / 1000) + SessionProtocol.maxAgeSeconds;
  // A week-old session with four seconds left, in its renewal window (as the gateway would see it).
  const token = SessionProtocol.renewSession(
    { sub: id, sid: `old-${Date.now()}`, st, end },
    { jwtKey: SessionProtocol.devJwtKey, ttlSeconds: 60 },
  );
  const cookie = `session=${token}`;
  const r = await gql(stack.gateway.url, ME, {}, { cookie });
  expect(r.data).toEqual({ me: { id } });
  expect(r.setCookies.filter((c) => c.startsWith('session='))).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, (end + 1) * 1000 - Date.now()));
  expect(await meId(second.url, cookie)).toBeNull();
});
