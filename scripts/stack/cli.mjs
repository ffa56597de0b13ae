#!/usr/bin/env node
// @ts-check
// The dev-stack runner behind `npm start` and `npm test`. Plain JavaScript on purpose: it runs
// before `npm install` has put TypeScript anywhere.
//
//   start   install, bring up the infrastructure, build, run every service; Ctrl-C stops all
//   infra   only the infrastructure, until Ctrl-C
//   test    install, build, lint, then jest (which brings up the infrastructure it needs)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureInfra } from './infra.mjs';
import { ensureNpmDependencies } from './install.mjs';
import { StackError, say } from './log.mjs';
import { ROOT } from './paths.mjs';
import { startProcess, stopAll } from './processes.mjs';
import { listServices } from './workspaces.mjs';

const bin = (/** @type {string} */ name) => path.join(ROOT, 'node_modules', '.bin', name);

function build() {
  say('building (tsc -b)…');
  execFileSync(bin('tsc'), ['-b'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Installed before any work starts, so a Ctrl-C during set-up still stops what was started.
 * Resolves on the first SIGINT/SIGTERM; a second one exits at once (the exit hook kills children).
 */
let stopRequested = false;
const untilSignal = new Promise((resolve) => {
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    say(`${signal}: stopping…`);
    stopRequested = true;
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    resolve(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
});

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
  const services = listServices();
  for (const s of services) {
    const p = startProcess(path.basename(s.dir), 'npm', ['run', 'start', '--silent'], {
      cwd: path.join(ROOT, s.dir),
      env,
      output: 'prefixed',
    });
    p.exited.then((code) => say(`${p.name} exited (code ${code})`));
  }
  say(services.length ? `ready: ${services.map((s) => s.name).join(', ')}` : 'ready (no services yet)');
  await untilSignal;
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
  await untilSignal;
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
  await stopAll();
}
