import { BrowserPool } from './browser';
import { listingBadge, sellTicket, signUp } from './people';
import { screenshot } from './screenshots';
import { ensureWebBuild, startWebStack, type WebStack } from './webStack';

// Issue 8, point 1: seller, buyer and a third browser watching the listings, on the real stack.
// Live changes reach the watcher without a reload: over graphql-ws once the gateway serves
// subscriptions (issue 7), by the pages' polling fallback until then.
jest.setTimeout(120_000);

const LIVE_WAIT = { timeout: 20_000 };
const browsers = new BrowserPool();
const stacks: WebStack[] = [];

beforeAll(() => {
  browsers.findChromium();
  ensureWebBuild();
}, 300_000);

afterAll(async () => {
  await browsers.closeAll();
  await Promise.all(stacks.map((s) => s.stop()));
});

test('list, buy, watch it turn RESERVED live, pay with the test card, see COMPLETE and SOLD', async () => {
  const stack = await startWebStack('web-market');
  stacks.push(stack);
  const seller = await browsers.open();
  const buyer = await browsers.open();
  const watcher = await browsers.open();

  await signUp(seller.page, stack.webUrl, 'seller');
  const ticketId = await sellTicket(seller.page, stack.webUrl, 'Arctic Monkeys — Row F, Seat 12', '85.50');
  await screenshot(seller.page, 'ticket-own');

  await watcher.page.goto(stack.webUrl);
  await listingBadge(watcher.page, ticketId, 'AVAILABLE').waitFor();
  // Live over graphql-ws through the gateway, not the polling fallback.
  await watcher.page.locator('[data-live="live"]').waitFor(LIVE_WAIT);

  await signUp(buyer.page, stack.webUrl, 'buyer');
  await buyer.page.goto(`${stack.webUrl}/tickets/${ticketId}`);
  await screenshot(buyer.page, 'ticket');
  // The price as typed, exactly, from the API's Money (priceMoney).
  await buyer.page.getByRole('button', { name: 'Buy for $85.50' }).click();
  await buyer.page.waitForURL(/\/orders\/[^/]+$/);
  await buyer.page.locator('.hold-countdown').waitFor();
  await buyer.page.locator('.summary-total').filter({ hasText: '$85.50' }).waitFor();
  await screenshot(buyer.page, 'order-awaiting-payment');

  // The third browser sees the lock without reloading.
  await listingBadge(watcher.page, ticketId, 'RESERVED').waitFor(LIVE_WAIT);
  await screenshot(watcher.page, 'listings-reserved');

  // The seller can no longer edit, and is told why.
  await seller.page.goto(`${stack.webUrl}/my/listings`);
  await seller.page.getByTestId('locked-reason').waitFor();
  expect(await seller.page.getByLabel('Event').isDisabled()).toBe(true);
  await screenshot(seller.page, 'my-listings-reserved');

  await buyer.page.getByLabel(/Visa ending 4242/).check();
  await buyer.page.getByRole('button', { name: 'Pay now' }).click();
  await buyer.page.locator('[data-order-phase="complete"]').waitFor(LIVE_WAIT);
  await screenshot(buyer.page, 'order-complete');

  await listingBadge(watcher.page, ticketId, 'SOLD').waitFor(LIVE_WAIT);
  await screenshot(watcher.page, 'listings-sold');

  await buyer.page.goto(`${stack.webUrl}/my/orders`);
  await buyer.page
    .locator('tr[data-order-id]')
    .filter({ hasText: 'Complete' })
    .filter({ hasText: '$85.50' })
    .waitFor();
  await screenshot(buyer.page, 'my-orders');
});

test('an unpaid order counts down to zero, shows it expired, and the ticket is available again', async () => {
  const stack = await startWebStack('web-expiry', { ORDER_EXPIRATION_SECONDS: '8' }, { expiration: true });
  stacks.push(stack);
  const seller = await browsers.open();
  const buyer = await browsers.open();
  const watcher = await browsers.open();

  await signUp(seller.page, stack.webUrl, 'seller');
  const ticketId = await sellTicket(seller.page, stack.webUrl, 'Jazz at the Lake — Standing', '40');
  await signUp(buyer.page, stack.webUrl, 'buyer');
  await buyer.page.goto(`${stack.webUrl}/tickets/${ticketId}`);
  await buyer.page.getByRole('button', { name: /^Buy for/ }).click();
  await buyer.page.waitForURL(/\/orders\/[^/]+$/);
  await buyer.page.locator('.hold-countdown').waitFor();

  await watcher.page.goto(`${stack.webUrl}/tickets/${ticketId}`);
  await watcher.page.getByText('Someone else is buying this ticket right now.').waitFor(LIVE_WAIT);
  await screenshot(watcher.page, 'ticket-held-by-someone-else');

  await buyer.page.locator('[data-order-phase="expired"]').waitFor(LIVE_WAIT);
  expect(await buyer.page.locator('.hold-countdown').count()).toBe(0);
  await screenshot(buyer.page, 'order-expired');

  await watcher.page.goto(stack.webUrl);
  await listingBadge(watcher.page, ticketId, 'AVAILABLE').waitFor(LIVE_WAIT);
});
