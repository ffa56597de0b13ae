import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_DIR } from './webStack';

/** Where the browser tests leave screenshots for review (gitignored: each run writes them anew). */
export const SCREENSHOT_DIR = path.join(WEB_DIR, 'screenshots');

/** A phone's viewport (iPhone 12–15 class), beside the desktop one of openBrowser. */
export const PHONE = { width: 390, height: 844 };

/**
 * Full-page screenshots for review, named after the page they show: `<name>-desktop.png` at the
 * page's own viewport and `<name>-phone.png` at 390 px wide (the page is put back afterwards).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const desktop = page.viewportSize();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  try {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  } finally {
    if (desktop) await page.setViewportSize(desktop);
  }
}
