// @ts-check
// Child processes the runner owns: each in its own process group, so stopping one stops
// everything it spawned (npm → node, go run → binary), and stopping twice is harmless.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipePrefixed } from './log.mjs';
import { LOG_DIR } from './paths.mjs';

/**
 * @typedef {{ name: string, pid: number, exited: Promise<number | null>, signal?: NodeJS.Signals | null,
 *   stop: () => Promise<void> }} Managed  `signal`: what killed it, once it has exited
 */

/** @type {Set<Managed>} */
const running = new Set();

/**
 * Starts a process in its own group. Output goes either to a log file in .data/logs (infra)
 * or to our stdout prefixed by name (services).
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, output: 'file' | 'prefixed',
 *   onLine?: (line: string) => void }} opts  `onLine`: each line of a prefixed output
 * @returns {Managed}
 */
export function startProcess(name, command, args, { env = process.env, cwd, output, onLine }) {
  /** @type {import('node:child_process').StdioOptions} */
  let stdio = ['ignore', 'pipe', 'pipe'];
  if (output === 'file') {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    const fd = fs.openSync(path.join(LOG_DIR, `${name}.log`), 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(command, args, { env, cwd, stdio, detached: true });
  if (output === 'prefixed') {
    if (child.stdout) pipePrefixed(child.stdout, name, process.stdout, onLine);
    if (child.stderr) pipePrefixed(child.stderr, name, process.stderr, onLine);
  }
  /** @type {Managed | undefined} */
  let self;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (self) self.signal = signal;
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });
  const pid = child.pid ?? -1;
  /** @type {Promise<void> | undefined} */
  let stopping;
  /** @type {Managed} */
  const managed = {
    name,
    pid,
    exited,
    stop: () => {
      stopping ??= stopGroup(pid, exited).finally(() => running.delete(managed));
      return stopping;
    },
  };
  self = managed;
  running.add(managed);
  exited.then(() => running.delete(managed));
  return managed;
}

/**
 * SIGTERM to the whole group, SIGKILL after a grace period.
 * @param {number} pid
 * @param {Promise<unknown>} exited
 */
async function stopGroup(pid, exited, graceMs = 8000) {
  if (pid <= 0) return;
  signalGroup(pid, 'SIGTERM');
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(r, graceMs, 'timeout');
  });
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') signalGroup(pid, 'SIGKILL');
  await exited;
  // The leader is gone (npm, say); give what it spawned (node) the rest of the grace period to
  // finish its own shutdown, then make sure nothing outlives it.
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signalGroup(pid, 'SIGKILL');
  // Bounded: a member that is already a zombie stays visible until its new parent reaps it.
  const killDeadline = Date.now() + 2_000;
  while (groupAlive(pid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
}

/** @param {number} pid */
function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Stops every process this runner started, newest first. */
export async function stopAll() {
  const all = [...running].reverse();
  await Promise.all(all.map((p) => p.stop()));
}

// Last resort when the runner exits without a clean shutdown (an uncaught error).
process.once('exit', () => {
  for (const p of running) signalGroup(p.pid, 'SIGKILL');
});
