import { gql } from '@ticketing/e2e';
import { createEmailWorker, type EmailWorker, readEmailSettings } from '@ticketing/email';
import { waitForMail } from '@ticketing/email/testing';
import { readUsersSettings, runAdminCommand } from '@ticketing/users';
import type { Page } from 'playwright-core';
import { BrowserPool } from './browser';
import { PASSWORD, signUp, uniqueEmail } from './people';
import { review } from './review';
import { screenshot } from './screenshots';
import { ensureWebBuild, startWebStack, type WebStack } from './webStack';

// Issue 21, point 5: the account pages as a person uses them, in a real chromium against the real
// Next build, the stack and the email worker (mail read back through Mailpit's API): sign out
// everywhere, change password, a reset by email, a banned account.
jest.setTimeout(120_000);

const NEW_PASSWORD = 'a brand new passphrase';
let stack: WebStack;
let worker: EmailWorker;
const browsers = new BrowserPool();

beforeAll(async () => {
  browsers.findChromium();
  ensureWebBuild();
  stack = await startWebStack('web-accounts');
  worker = await createEmailWorker({
    settings: readEmailSettings({ ...process.env, WEB_URL: stack.webUrl }),
    dbName: `${stack.api.users.models.Users.db.name}_email`,
    events: { stream: stack.api.stream },
  });
}, 300_000);

afterAll(async () => {
  await browsers.closeAll();
  await worker?.models.Users.db.dropDatabase();
  await worker?.stop();
  await stack?.stop();
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const signedInAs = (page: Page, email: string) =>
  page.getByTestId('signed-in-as').filter({ hasText: email }).waitFor();

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).textContent())?.trim() ?? '';

test('sign out of all devices signs out the other browser; a changed password signs in, the old one no more', async () => {
  const [a, b] = [(await browsers.open()).page, (await browsers.open()).page];
  const email = await signUp(a, stack.webUrl, 'settings');
  await b.goto(`${stack.webUrl}/signin`);
  await signIn(b, email, PASSWORD);
  await signedInAs(b, email);

  // The header leads to the account page, which leads to the API keys.
  await a.getByRole('link', { name: 'Account', exact: true }).click();
  await a.getByRole('heading', { name: 'Account', exact: true }).waitFor();
  expect(await a.getByRole('link', { name: 'Manage API keys' }).getAttribute('href')).toBe(
    '/account/api-keys',
  );
  await review(a, 'account');

  await a.getByRole('button', { name: 'Sign out of all devices' }).click();
  await a.waitForURL(/\/signin\?reason=signed-out-everywhere$/);
  expect(await text(a, '[data-testid="signin-notice"]')).toContain('signed out on all your devices');
  await a.getByRole('link', { name: 'Sign in' }).waitFor();
  expect(await a.getByTestId('signed-in-as').count()).toBe(0);

  // The other browser finds its session ended at its next page, and is told why.
  await b.goto(`${stack.webUrl}/account`);
  await b.waitForURL(/\/signin\?reason=ended&next=%2Faccount$/);
  expect(await text(b, '[data-testid="signin-notice"]')).toContain('Your session has ended');
  await signIn(b, email, PASSWORD);
  await b.waitForURL(/\/account$/);

  // Field errors from the API's codes, beside their inputs.
  const change = async (current: string, next: string) => {
    await b.getByLabel('Current password').fill(current);
    await b.getByLabel('New password').fill(next);
    await b.getByRole('button', { name: 'Change password' }).click();
  };
  await change('not my password', NEW_PASSWORD);
  expect(await text(b, '#field-currentPassword-error')).toBe('This is not your current password.');
  await change(PASSWORD, 'short');
  expect(await text(b, '#field-newPassword-error')).toBe('Choose a new password of 8 to 128 characters.');
  await change(PASSWORD, NEW_PASSWORD);
  await b.getByText('Your password has been changed.').waitFor();
  await b.reload();
  await signedInAs(b, email);

  await a.goto(`${stack.webUrl}/signin`);
  await signIn(a, email, PASSWORD);
  await a.locator('#field-password-error').waitFor();
  await signIn(a, email, NEW_PASSWORD);
  await signedInAs(a, email);
});

test('forgot password: the mailed link sets a new password once, and the new one signs in', async () => {
  const { page } = await browsers.open();
  const email = uniqueEmail('forgetful');
  await gql(stack.api.gateway.url, 'mutation($e:String!,$p:String!){ signUp(email:$e,password:$p){ id } }', {
    e: email,
    p: PASSWORD,
  });

  await page.goto(`${stack.webUrl}/signin`);
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.waitForURL(/\/forgot-password$/);
  // The same answer whether or not an account has the address.
  const ask = async (address: string) => {
    await page.getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByTestId('reset-requested').filter({ hasText: address }).waitFor();
    return (await text(page, '[data-testid="reset-requested"]')).replace(address, '<address>');
  };
  const nobody = await ask(uniqueEmail('nobody'));
  expect(await ask(email)).toBe(nobody);

  const [mail] = await waitForMail(email, /Reset your password/);
  const link = /(http\S+\/reset-password\?token=[^\s"]+)/.exec(mail?.Text ?? '')?.[1] ?? '';
  expect(link.startsWith(`${stack.webUrl}/reset-password?token=`)).toBe(true);

  await page.goto(link);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set new password' }).click();
  expect(await text(page, '#field-newPassword-error')).toBe('Choose a new password of 8 to 128 characters.');
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByTestId('reset-done').waitFor();
  // The API signed this browser in.
  await signedInAs(page, email);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL(/\/signin$/);
  await signIn(page, email, NEW_PASSWORD);
  await signedInAs(page, email);

  // The link a second time: refused, with the way to a new one.
  await page.goto(link);
  await page.getByLabel('New password').fill('yet another passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  const refused = page
    .getByRole('alert')
    .filter({ hasText: 'This reset link is invalid, already used or expired.' });
  await refused.waitFor();
  expect(await refused.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe(
    '/forgot-password',
  );
  await review(page, 'reset-link-used');
});

test('a banned account: the signed-in browser is told at its next page, and signing in says banned', async () => {
  const { page, context } = await browsers.open();
  const email = await signUp(page, stack.webUrl, 'banned');
  // Off the live listings page first: its polling is the browser-side request of the second half.
  await page.goto('about:blank');
  const settings = readUsersSettings({ ...process.env, REDIS_PREFIX: stack.api.redisPrefix });
  const dbName = stack.api.users.models.Users.db.name;
  expect(await runAdminCommand(['ban', email], { settings, dbName })).toContain('is banned');

  // With the session cookie still in the browser, the web's server hears it from the gateway:
  // a protected page sends it to sign in, with the reason.
  await page.goto(`${stack.webUrl}/my/orders`);
  await page.waitForURL(/\/signin\?reason=banned$/);
  expect(await text(page, '[data-testid="signin-notice"]')).toContain('this account is banned');
  await screenshot(page, 'signin-banned');
  // Any other page says it under the header, signed out.
  await page.goto(`${stack.webUrl}/`);
  expect(await text(page, '[data-testid="banned-notice"]')).toContain('this account is banned');
  expect(await page.getByTestId('signed-in-as').count()).toBe(0);

  // A request of the page's own (a live page polling) reaches the gateway, which clears the
  // session cookie in the browser: the next pages still know why.
  await page.evaluate(() =>
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    }),
  );
  const names = async () => (await context.cookies(stack.webUrl)).map((c) => `${c.name}=${c.value}`);
  expect(await names()).toEqual(['session_ended=banned']);
  await page.goto(`${stack.webUrl}/my/orders`);
  await page.waitForURL(/\/signin\?reason=banned$/);
  expect(await text(page, '[data-testid="signin-notice"]')).toContain('this account is banned');
  await page.goto(`${stack.webUrl}/`);
  expect(await text(page, '[data-testid="banned-notice"]')).toContain('this account is banned');

  // Signing in with the right password: the banned message, not a generic error.
  await page.goto(`${stack.webUrl}/signin`);
  await signIn(page, email, PASSWORD);
  await page
    .getByRole('alert')
    .filter({ hasText: /^This account is banned\. Contact support if you think this is a mistake\.$/ })
    .waitFor();
  expect(await page.getByTestId('signed-in-as').count()).toBe(0);

  // Unbanned, a sign-in works and the notice is gone with its mark.
  expect(await runAdminCommand(['unban', email], { settings, dbName })).toContain('no longer banned');
  await page.goto(`${stack.webUrl}/signin`);
  await signIn(page, email, PASSWORD);
  await signedInAs(page, email);
  expect(await page.getByTestId('banned-notice').count()).toBe(0);
  expect((await names()).filter((c) => c.startsWith('session_ended'))).toEqual([]);
});
