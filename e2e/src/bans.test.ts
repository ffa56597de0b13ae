import type { Gateway } from '@ticketing/gateway';
import { eventually } from '@ticketing/kit/testing';
import { readUsersSettings, runAdminCommand } from '@ticketing/users';
import type { Client } from 'graphql-ws';
import { gql, sessionCookie } from './gql';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// Issue 21, point 1: an operator bans an account, and within seconds every session, API key and
// open WebSocket of it stops working on every gateway replica, through the revocation path
// sign-out uses; signing in answers ACCOUNT_BANNED; an unban lets it sign in and its keys work
// again, while its sessions from before stay ended. Two gateways in front of one set of subgraphs.

const RECHECK_MS = 500;
let stack: TestStack;
let second: Gateway;
const clients: Client[] = [];
beforeAll(async () => {
  stack = await startTestStack('gw_bans', { WS_RECHECK_MS: String(RECHECK_MS) });
  second = await startGatewayReplica(stack);
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await second.stop();
  await stack.stop();
});

const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const SIGN_UP = 'mutation ($e: String!) { signUp(email: $e, password: "password-123") { id } }';
const SIGN_IN = 'mutation ($e: String!) { signIn(email: $e, password: "password-123") { id } }';
const ME = '{ me { id } }';
const admin = (...args: string[]) =>
  runAdminCommand(args, {
    settings: readUsersSettings({ ...process.env, REDIS_PREFIX: stack.redisPrefix }),
    dbName: stack.users.models.Users.db.name,
  });

async function signIn(url: string, email: string): Promise<string> {
  const r = await gql(url, SIGN_IN, { e: email });
  const cookie = sessionCookie(r.setCookies);
  if (!cookie) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return cookie;
}
async function account(url: string) {
  const email = unique('member');
  const up = await gql<{ signUp: { id: string } }>(url, SIGN_UP, { e: email });
  return { email, id: up.data?.signUp.id ?? '', cookie: sessionCookie(up.setCookies) ?? '' };
}
const meId = async (url: string, auth: { cookie?: string; bearer?: string }) =>
  (await gql<{ me: { id: string } | null }>(url, ME, {}, auth)).data?.me?.id ?? null;

test('a ban by an operator ends every session, API key and WebSocket of the account on both gateways within seconds', async () => {
  const [a, b] = [stack.gateway.url, second.url];
  const operator = await account(a);
  await admin('grant-operator', operator.email);
  const member = await account(a);
  const cookieOnB = await signIn(b, member.email);
  const key = await gql<{ createApiKey: { secret: string } }>(
    a,
    'mutation { createApiKey(name: "integration") { secret } }',
    {},
    { cookie: member.cookie },
  );
  const secret = key.data?.createApiKey.secret ?? '';
  // Cached by both gateways before the ban (API_KEY_CACHE_SECONDS).
  expect([await meId(a, { bearer: secret }), await meId(b, { bearer: secret })]).toEqual([
    member.id,
    member.id,
  ]);
  expect([await meId(a, { cookie: member.cookie }), await meId(b, { cookie: cookieOnB })]).toEqual([
    member.id,
    member.id,
  ]);

  const closed: Record<string, number> = {};
  const sockets = [
    {
      name: 'cookie on A',
      client: connectClient(a, { cookie: member.cookie }, (c) => (closed['cookie on A'] = c)),
    },
    {
      name: 'cookie on B',
      client: connectClient(b, { cookie: cookieOnB }, (c) => (closed['cookie on B'] = c)),
    },
    { name: 'key on B', client: connectClient(b, { bearer: secret }, (c) => (closed['key on B'] = c)) },
  ];
  clients.push(...sockets.map((s) => s.client));
  for (const s of sockets) subscribe(s.client, 'subscription { ticketsChanged { id } }');
  await eventually(() => stack.gateway.subscriptionCount() >= 1 && second.subscriptionCount() >= 2);

  const started = Date.now();
  const ban = await gql(
    a,
    'mutation ($e: String!) { banAccount(email: $e) }',
    { e: member.email },
    { cookie: operator.cookie },
  );
  expect(ban.data).toEqual({ banAccount: true });
  const httpStopped = Date.now() - started;
  // Sessions and keys: at the next request, on either gateway.
  expect(await meId(a, { cookie: member.cookie })).toBeNull();
  expect(await meId(b, { cookie: cookieOnB })).toBeNull();
  for (const url of [a, b]) {
    const keyed = await gql(url, ME, {}, { bearer: secret });
    expect([keyed.status, keyed.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  }
  // Open sockets: at their gateway's next recheck.
  await eventually(() => sockets.every((s) => closed[s.name] === 4403), 10_000);
  const socketsClosed = Date.now() - started;
  expect(socketsClosed).toBeLessThan(RECHECK_MS * 2 + 2_000);
  process.stdout.write(
    `ban: answered in ${httpStopped} ms, every request refused after it; sockets closed after ${socketsClosed} ms\n`,
  );

  const refused = await gql(b, SIGN_IN, { e: member.email });
  expect(refused.errors?.[0]?.extensions?.code).toBe('ACCOUNT_BANNED');
  expect(sessionCookie(refused.setCookies)).toBeUndefined();

  // Unbanned: a new session works, the old ones stay ended, the key works again.
  const unban = await gql(
    a,
    'mutation ($e: String!) { unbanAccount(email: $e) }',
    { e: member.email },
    { cookie: operator.cookie },
  );
  expect(unban.data).toEqual({ unbanAccount: true });
  const fresh = await signIn(b, member.email);
  expect(await meId(a, { cookie: fresh })).toBe(member.id);
  expect(await meId(b, { cookie: cookieOnB })).toBeNull();
  expect(await meId(b, { bearer: secret })).toBe(member.id);
});

test('the admin command bans as the mutation does, and a non-operator cannot', async () => {
  const [a, b] = [stack.gateway.url, second.url];
  const member = await account(a);
  const other = await account(b);
  const tried = await gql(
    b,
    'mutation ($e: String!) { banAccount(email: $e) }',
    { e: member.email },
    { cookie: other.cookie },
  );
  expect(tried.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await meId(b, { cookie: member.cookie })).toBe(member.id);

  await admin('ban', member.email);
  expect([await meId(a, { cookie: member.cookie }), await meId(b, { cookie: member.cookie })]).toEqual([
    null,
    null,
  ]);
  // The cleared cookie leaves a mark saying why, for the browser's next page.
  const refused = await gql(a, ME, {}, { cookie: member.cookie });
  expect(refused.setCookies.map((c) => c.split(';')[0])).toEqual(['session=', 'session_ended=banned']);
  expect((await gql(a, SIGN_IN, { e: member.email })).errors?.[0]?.extensions?.code).toBe('ACCOUNT_BANNED');
  await admin('unban', member.email);
  const signedIn = await gql(a, SIGN_IN, { e: member.email });
  expect(signedIn.setCookies.map((c) => c.split(';')[0])).toContain('session_ended=');
  expect(await meId(a, { cookie: sessionCookie(signedIn.setCookies) ?? '' })).toBe(member.id);
});
