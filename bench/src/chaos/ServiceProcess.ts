import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const REGISTER = path.join(ROOT, 'scripts', 'source', 'register.cjs');

/**
 * One service of the chaos stack in a process of its own, run from source (as bench does) with
 * its own env and log file: killed with SIGKILL as a crash would, and started again on its port.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Resolves true once the started process serves (its /healthz, or its log's ready line). */
    private readonly ready: (log: () => string) => Promise<boolean>,
  ) {}

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const offset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['-r', REGISTER, path.join(ROOT, this.entry)], {
      env: this.env,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const since = () => fs.readFileSync(this.logFile, 'utf8').slice(offset);
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready(since))) {
      if (!this.running() || Date.now() > deadline) {
        throw new Error(`${this.name} did not start:\n${since().slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no clean shutdown, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and its clean shutdown (the end of the run). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Ready when GET `url` answers 200. */
export const answers = (url: string) => async () =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    (r) => r.ok,
    () => false,
  );

/** Ready when the log (since this start) has printed `text`. */
export const printed = (text: string) => async (log: () => string) => log().includes(text);
