// @ts-check
// Debian's chromium for the browser tests (driven by playwright-core with executablePath):
// found on PATH, or installed with apt-get when we are root.
import { ensureDebianBinary, onPath } from './tools.mjs';

/** @returns {string} the chromium executable */
export function ensureChromium() {
  return onPath('chromium') ?? ensureDebianBinary('Browser tests (chromium)', 'chromium', 'chromium');
}

// `node scripts/stack/chromium.mjs`: install it ahead of a test run.
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${ensureChromium()}\n`);
