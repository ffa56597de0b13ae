import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { PHONE, screenshot } from './screenshots';

/**
 * A key screen as a reviewer sees it: axe-core finds no serious or critical violation at desktop
 * size nor on a phone, and screenshots of both are written (web/screenshots/).
 */
export async function review(page: Page, name: string): Promise<void> {
  const desktop = page.viewportSize();
  const onDesktop = await seriousViolations(page);
  await page.setViewportSize(PHONE);
  let onPhone: Awaited<ReturnType<typeof seriousViolations>>;
  try {
    onPhone = await seriousViolations(page);
  } finally {
    if (desktop) await page.setViewportSize(desktop);
  }
  await screenshot(page, name);
  expect({ screen: name, desktop: onDesktop, phone: onPhone }).toEqual({
    screen: name,
    desktop: [],
    phone: [],
  });
}
