import { gql, sessionCookie } from '@ticketing/e2e';
import { BrowserPool } from './browser';
import { screenshot } from './screenshots';
import { ensureWebBuild, startWebStack, type WebStack } from './webStack';

// Issue 8, points 2 and 3 (and the identity part of point 1): a real chromium against the real
// Next build, the real gateway and the users subgraph.
jest.setTimeout(120_000);

let stack: WebStack;
const browsers = new BrowserPool();
const email = (who: string) => `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  browsers.findChromium();
  ensureWebBuild();
  stack = await startWebStack('web-auth');
}, 300_000);

afterAll(async () => {
  await browsers.closeAll();
  await stack?.stop();
});

test('sign up, sign out and sign in again in a real browser', async () => {
  const { page } = await browsers.open();
  const me = email('alice');
  await page.goto(`${stack.webUrl}/signup`);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  // The field error from extensions.fields sits beside its input.
  await page.locator('#field-email-error').waitFor();
  expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'signup-field-error');

  await page.getByLabel('Email').fill(me);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: me }).waitFor();
  await screenshot(page, 'listings-signed-in');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  expect(await page.getByTestId('signed-in-as').count()).toBe(0);

  await page.goto(`${stack.webUrl}/signin`);
  await page.getByLabel('Email').fill(me);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#field-password-error').waitFor();
  await screenshot(page, 'signin-error');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: me }).waitFor();
});

test('a protected page sends a signed-out visitor to sign in, and back after it', async () => {
  const { page } = await browsers.open();
  const me = email('bob');
  await gql(stack.api.gateway.url, 'mutation($e:String!,$p:String!){ signUp(email:$e,password:$p){ id } }', {
    e: me,
    p: PASSWORD,
  });
  await page.goto(`${stack.webUrl}/account/api-keys`);
  await page.waitForURL(/\/signin\?next=/);
  await page.getByLabel('Email').fill(me);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account\/api-keys$/);
  await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
});

test('server-rendered HTML with a session cookie shows the signed-in state (no flash)', async () => {
  const me = email('carol');
  const reply = await gql(
    stack.api.gateway.url,
    'mutation($e:String!,$p:String!){ signUp(email:$e,password:$p){ id } }',
    { e: me, p: PASSWORD },
  );
  const cookie = sessionCookie(reply.setCookies);
  expect(cookie).toBeDefined();

  const signedIn = await (await fetch(`${stack.webUrl}/`, { headers: { cookie: cookie ?? '' } })).text();
  expect(signedIn).toContain(me);
  expect(signedIn).toContain('Sign out');
  expect(signedIn).not.toContain('>Sign up<');

  // A protected page renders (no redirect to sign-in) with the cookie, and redirects without it.
  const keys = await fetch(`${stack.webUrl}/account/api-keys`, {
    headers: { cookie: cookie ?? '' },
    redirect: 'manual',
  });
  expect(keys.status).toBe(200);
  expect(await keys.text()).toContain('Create key');
  // Without a session it redirects to sign-in (a streamed page carries the redirect in its body).
  const anonymous = await fetch(`${stack.webUrl}/account/api-keys`, { redirect: 'manual' });
  const target = `${anonymous.headers.get('location') ?? ''} ${await anonymous.text()}`;
  expect(target).toContain('/signin?next=%2Faccount%2Fapi-keys');

  const signedOut = await (await fetch(`${stack.webUrl}/`)).text();
  expect(signedOut).not.toContain(me);
  expect(signedOut).toContain('Sign in');
});

test('API keys: create with the secret shown once, list, revoke', async () => {
  const { page } = await browsers.open();
  const me = email('dave');
  await page.goto(`${stack.webUrl}/signup?next=/account/api-keys`);
  await page.getByLabel('Email').fill(me);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/account\/api-keys$/);
  await page.getByText('No API keys').waitFor();

  await page.getByLabel('Key name').fill('Inventory sync');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('api-key-secret').textContent())?.trim() ?? '';
  expect(secret.length).toBeGreaterThan(20);
  // The key works for integrators through the gateway.
  const viaKey = await gql<{ me: { email: string } }>(
    stack.api.gateway.url,
    '{ me { email } }',
    {},
    { bearer: secret },
  );
  expect(viaKey.data?.me.email).toBe(me);
  await screenshot(page, 'api-keys');

  // After a reload the secret is gone for good; the key is listed.
  await page.reload();
  await page.getByText('Inventory sync').waitFor();
  expect(await page.getByTestId('api-key-secret').count()).toBe(0);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('No API keys').waitFor();
});
