// @ts-check
// Builds the Next app once: a build is fresh when .next/BUILD_ID is newer than every source and
// was made with the same build-time settings (NEXT_PUBLIC_* values are inlined by Next).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'public', 'next.config.ts', 'package.json', 'tsconfig.json'];
const STAMP = path.join(WEB, '.next', 'ticketing-build.json');

/** @param {string} file @returns {number} newest mtime under file */
function newest(file) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) {
    // Tests are not part of the app: editing them must not force a rebuild.
    if (entry === 'e2e' || entry.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(path.join(file, entry)));
  }
  return max;
}

const buildSettings = () =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(process.env)
        .filter(([k]) => k.startsWith('NEXT_PUBLIC_'))
        .sort(),
    ),
  );

export function isBuildFresh() {
  const id = path.join(WEB, '.next', 'BUILD_ID');
  if (!fs.existsSync(id) || !fs.existsSync(STAMP)) return false;
  if (fs.readFileSync(STAMP, 'utf8') !== buildSettings()) return false;
  const built = fs.statSync(id).mtimeMs;
  return SOURCES.every((s) => newest(path.join(WEB, s)) <= built);
}

const LOCK = path.join(WEB, '.next-build.lock');

/** Test files run in parallel: one builds, the others wait for it (mkdir is atomic). */
function withLock(/** @type {() => boolean} */ work) {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`web: ${LOCK} held for 10 minutes; remove it if stale`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export function ensureBuild() {
  if (isBuildFresh()) return false;
  return withLock(build);
}

function build() {
  if (isBuildFresh()) return false;
  process.stdout.write('web: building the Next app (next build)…\n');
  const bin = path.join(WEB, 'node_modules', '.bin', 'next');
  const next = fs.existsSync(bin) ? bin : path.join(WEB, '..', 'node_modules', '.bin', 'next');
  execFileSync(next, ['build'], {
    cwd: WEB,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  fs.writeFileSync(STAMP, buildSettings());
  return true;
}

// `node scripts/build.mjs`: build if stale (used by the e2e tests' set-up).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureBuild();
