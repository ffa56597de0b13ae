import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_DIR } from './webStack';

export const SCREENSHOT_DIR = path.join(WEB_DIR, 'screenshots');

/** A full-page screenshot for review, named after the page it shows. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
