// @ts-check
// npm dependencies: installed on first run and again whenever package-lock.json changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { say } from './log.mjs';
import { ROOT } from './paths.mjs';

const STAMP = path.join(ROOT, 'node_modules', '.ticketing-lock-hash');

export function ensureNpmDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const hash = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) return;
  say('installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: 'inherit' });
  fs.writeFileSync(STAMP, hash);
}
