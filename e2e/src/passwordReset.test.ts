import { createEmailWorker, type EmailWorker, readEmailSettings } from '@ticketing/email';
import { waitForMail } from '@ticketing/email/testing';
import { testDatabaseName } from '@ticketing/kit/testing';
import { gql, sessionCookie } from './gql';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 21, points 3 and 4 together: a reset asked for at the gateway reaches the inbox (users'
// outbox, NATS, the email worker, SMTP: Mailpit, read through its API); the link's token sets a
// new password once and ends the sessions from before.

let stack: TestStack;
let worker: EmailWorker;
beforeAll(async () => {
  stack = await startTestStack('gw_reset', {}, { tickets: false, orders: false, payments: false });
  worker = await createEmailWorker({
    settings: readEmailSettings({ ...process.env, WEB_URL: 'http://web.test' }),
    dbName: testDatabaseName('gw_reset_email'),
    events: { stream: stack.stream },
  });
});
afterAll(async () => {
  await worker.models.Users.db.dropDatabase();
  await worker.stop();
  await stack.stop();
});

const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const REQUEST = 'mutation ($e: String!) { requestPasswordReset(email: $e) }';
const RESET = 'mutation ($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) { id } }';

test('a password reset by email: the mail arrives with a link whose token works once', async () => {
  const url = stack.gateway.url;
  const email = unique('forgetful');
  const up = await gql<{ signUp: { id: string } }>(
    url,
    'mutation ($e: String!) { signUp(email: $e, password: "password-123") { id } }',
    { e: email },
  );
  const oldCookie = sessionCookie(up.setCookies) ?? '';
  const started = Date.now();
  expect((await gql(url, REQUEST, { e: email })).data).toEqual({ requestPasswordReset: true });
  expect((await gql(url, REQUEST, { e: unique('nobody') })).data).toEqual({ requestPasswordReset: true });

  const [mail] = await waitForMail(email, /Reset your password/);
  process.stdout.write(`password-reset mail in the inbox ${Date.now() - started} ms after the request\n`);
  const link = /http:\/\/web\.test\/reset-password\?token=([^\s"]+)/.exec(mail?.Text ?? '');
  const token = decodeURIComponent(link?.[1] ?? '');
  expect(mail?.HTML).toContain('href="http://web.test/reset-password?token=');

  const reset = await gql<{ resetPassword: { id: string } }>(url, RESET, { t: token, n: 'brand-new-pass' });
  expect(reset.data?.resetPassword.id).toBe(up.data?.signUp.id);
  const fresh = sessionCookie(reset.setCookies) ?? '';
  const me = (cookie: string) => gql<{ me: { id: string } | null }>(url, '{ me { id } }', {}, { cookie });
  expect([(await me(oldCookie)).data?.me, (await me(fresh)).data?.me?.id]).toEqual([
    null,
    up.data?.signUp.id,
  ]);
  const again = await gql(url, RESET, { t: token, n: 'another-pass-1' });
  expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const signIn = await gql(
    url,
    'mutation ($e: String!) { signIn(email: $e, password: "brand-new-pass") { id } }',
    { e: email },
  );
  expect(signIn.errors).toBeUndefined();
});
