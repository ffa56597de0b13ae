import type { Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery';
export const uniqueEmail = (who: string) =>
  `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/** Signs up through the web's own form and waits for the signed-in header. */
export async function signUp(page: Page, webUrl: string, who: string): Promise<string> {
  const email = uniqueEmail(who);
  await page.goto(`${webUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: email }).waitFor();
  return email;
}

/** Lists a ticket through the sell form; returns its id (from the ticket page it lands on). */
export async function sellTicket(page: Page, webUrl: string, title: string, price: string): Promise<string> {
  await page.goto(`${webUrl}/sell`);
  await page.getByLabel('Event').fill(title);
  await page.getByLabel('Price (USD)').fill(price);
  await page.getByRole('button', { name: 'List ticket' }).click();
  await page.waitForURL(/\/tickets\/[^/]+$/);
  const id = new URL(page.url()).pathname.split('/').pop();
  if (!id) throw new Error('no ticket id in the URL');
  return id;
}

/** The status badge of one ticket on the listings page. */
export const listingBadge = (page: Page, ticketId: string, status: string) =>
  page.locator(`[data-ticket-id="${ticketId}"] [data-status="${status}"]`);
