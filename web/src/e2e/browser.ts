import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureChromiumPath } from './webStack';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** One person's browser: its own chromium with a fresh profile (so its own cookies). */
export async function openBrowser(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ticketing-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 860 },
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's browsers: `findChromium` in its beforeAll (whose timeout allows for a download),
 * `open` one per person in the tests, `closeAll` in its afterAll.
 */
export class BrowserPool {
  private chromiumPath: string | null = null;
  private readonly opened: Browser[] = [];

  findChromium(): void {
    this.chromiumPath = ensureChromiumPath();
  }

  async open(): Promise<Browser> {
    if (!this.chromiumPath) throw new Error('BrowserPool: findChromium() first, in beforeAll');
    const browser = await openBrowser(this.chromiumPath);
    this.opened.push(browser);
    return browser;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((b) => b.close()));
  }
}
