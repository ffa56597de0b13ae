#!/usr/bin/env node
// @ts-check
// The dev-stack runner behind `npm start` and `npm test`. Plain JavaScript on purpose: it runs
// before `npm install` has put TypeScript anywhere.
//
//   start   install, bring up the infrastructure, build, run every service; Ctrl-C stops all
//   infra   only the infrastructure, until Ctrl-C
//   test    install, build, lint, then jest (which brings up the infrastructure it needs)
//
// STACK_SKIP_INSTALL=1 uses node_modules as it is instead of running `npm ci` on a lock change;
// STACK_SKIP_BUILD=1 runs what was built before (the runner's tests build once, then time start and stop).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureInfra } from './infra.mjs';
import { ensureNpmDependencies } from './install.mjs';
import { StackError, say } from './log.mjs';
import { ROOT } from './paths.mjs';
import { waitFor } from './probes.mjs';
import { stopAll } from './processes.mjs';
import { supervise } from './supervise.mjs';
import { listServices } from './workspaces.mjs';

const bin = (/** @type {string} */ name) => path.join(ROOT, 'node_modules', '.bin', name);

function build() {
  if (process.env.STACK_SKIP_BUILD === '1') return say('build: skipped (STACK_SKIP_BUILD=1)');
  say('building (tsc -b)…');
  execFileSync(bin('tsc'), ['-b'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Installed before any work starts, so a Ctrl-C during set-up still stops what was started.
 * Resolves on the first SIGINT/SIGTERM. The same stop asked again within a few seconds is the
 * same request (npm passes on the terminal's Ctrl-C, and may send SIGTERM twice): it is ignored,
 * and the clean stop goes on. A signal after that exits at once (the exit hook kills children).
 */
let stopRequested = false;
const REPEAT_WINDOW_MS = 3_000;
const untilSignal = new Promise((resolve) => {
  let firstAt = 0;
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    if (stopRequested) {
      if (Date.now() - firstAt < REPEAT_WINDOW_MS) return;
      say(`${signal} again: exiting now`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    say(`${signal}: stopping…`);
    stopRequested = true;
    firstAt = Date.now();
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
});

/** @type {import('./supervise.mjs').Supervised[]} */
const services = [];

/** STACK_RESTART_DELAY_MS (default 1000) and STACK_RESTART_MAX_DELAY_MS (default 30000). */
function restartDelays() {
  const ms = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of ms`);
    return value;
  };
  return {
    initialDelayMs: ms('STACK_RESTART_DELAY_MS', 1000),
    maxDelayMs: ms('STACK_RESTART_MAX_DELAY_MS', 30_000),
  };
}

async function infra() {
  const stack = await ensureInfra();
  say('infrastructure ready');
  for (const [k, v] of Object.entries(stack.settings)) say(`  ${k}=${v}`);
  return stack;
}

async function start() {
  ensureNpmDependencies();
  const stack = await infra();
  if (stopRequested) return;
  build();
  const env = { ...process.env, ...stack.settings, NODE_ENV: process.env.NODE_ENV ?? 'development' };
  // STACK_SERVICES=users,gateway runs only those (names of the workspace folders); default: all.
  const only = process.env.STACK_SERVICES?.split(',').map((n) => n.trim());
  const chosen = listServices().filter((s) => !only || only.includes(path.basename(s.dir)));
  const delays = restartDelays();
  for (const s of chosen) {
    // Restarted when it exits unasked (supervise.mjs), until we stop.
    const p = supervise(path.basename(s.dir), 'npm', ['run', 'start', '--silent'], {
      cwd: path.join(ROOT, s.dir),
      env,
      ...delays,
    });
    services.push(p);
  }
  if (chosen.some((s) => s.dir === 'gateway')) await waitUntilServing();
  if (stopRequested) return;
  say(chosen.length ? `ready: ${chosen.map((s) => s.name).join(', ')}` : 'ready (no services yet)');
  await untilSignal;
}

/**
 * "ready" means ready to use: the gateway's /readyz with no subgraph down (it is ready, 200,
 * as soon as it can serve part of the graph) and the web page.
 */
async function waitUntilServing() {
  // Each service's own default port (DESIGN.md); npm start sets no PORT.
  const gateway = 'http://127.0.0.1:4000';
  const web = 'http://127.0.0.1:3000';
  const answers = (/** @type {string} */ url) => async () =>
    fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
  const whole = async () =>
    fetch(`${gateway}/readyz`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => (r.ok ? /** @type {Promise<{ down?: unknown }>} */ (r.json()) : { down: ['?'] }))
      .then(
        (body) => Array.isArray(body.down) && body.down.length === 0,
        () => false,
      );
  const until = (/** @type {() => Promise<boolean>} */ probe) =>
    waitFor(async () => stopRequested || probe(), 180_000);
  if (!(await until(whole))) say('the gateway is not ready yet (see its log above)');
  if (listServices().some((s) => s.dir === 'web') && !(await until(answers(web)))) say('web is not up yet');
  if (!stopRequested) say(`API ${gateway}/graphql · web ${web}`);
}

async function test() {
  ensureNpmDependencies();
  build();
  say('lint (biome ci)…');
  execFileSync(bin('biome'), ['ci', '.'], { cwd: ROOT, stdio: 'inherit' });
  const results = path.join(ROOT, '.cache', 'jest-results.json');
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.rmSync(results, { force: true });
  const args = ['--json', `--outputFile=${results}`, ...process.argv.slice(3)];
  const run = spawnSync(bin('jest'), args, { cwd: ROOT, stdio: 'inherit' });
  if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8'));
    const skipped = r.numPendingTests + r.numTodoTests;
    process.stdout.write(
      `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
  process.exitCode = run.status ?? 1;
}

async function infraOnly() {
  await infra();
  // Signal listeners alone do not keep node running: with every component already up (nothing
  // started here) it exited at once with code 13 instead of waiting for Ctrl-C.
  const keepAlive = setInterval(() => {}, 60_000);
  await untilSignal;
  clearInterval(keepAlive);
}

const commands = { start, infra: infraOnly, test };
const name = /** @type {keyof typeof commands} */ (process.argv[2] ?? 'start');

try {
  if (!commands[name]) throw new Error(`unknown command "${name}" (start, infra, test)`);
  await commands[name]();
} catch (err) {
  if (err instanceof StackError) process.stderr.write(`\n${err.message}\n`);
  else if (err instanceof Error && 'status' in err)
    process.stderr.write(`\nstack: a step failed (exit ${err.status})\n`);
  else process.stderr.write(`\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
} finally {
  // Services first, while the databases and NATS they close their connections to are still up.
  await Promise.all(services.map((s) => s.stop()));
  await stopAll();
}
