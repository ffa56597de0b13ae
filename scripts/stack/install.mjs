// @ts-check
// npm dependencies: installed on first run and again whenever package-lock.json changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError, say } from './log.mjs';
import { ROOT } from './paths.mjs';

const STAMP = path.join(ROOT, 'node_modules', '.ticketing-lock-hash');

export function ensureNpmDependencies() {
  // For checkouts installed some other way, and for the runner's own tests (jest runs from this
  // node_modules, which `npm ci` would delete under it): use what is there, never install.
  if (process.env.STACK_SKIP_INSTALL === '1') {
    if (!fs.existsSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'))) {
      throw new StackError(
        'npm dependencies',
        'STACK_SKIP_INSTALL=1 but node_modules is missing',
        'run npm ci',
      );
    }
    say('npm dependencies: used as installed (STACK_SKIP_INSTALL=1)');
    return;
  }
  const lock = path.join(ROOT, 'package-lock.json');
  const hash = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) return;
  say('installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: 'inherit' });
  fs.writeFileSync(STAMP, hash);
}
