import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The runner's supervision as `npm start` uses it, on real processes: a small node "service" that
// counts its runs in a file, under a runner that supervises it and stops it on SIGTERM.
const SUPERVISE = path.join(__dirname, 'supervise.mjs');

/** A service whose first `failures` runs fail at start (exit 1 with a message); later runs stay up. */
function serviceScript(countFile: string, failures: number): string {
  return `
    const fs = require('node:fs');
    const run = Number(fs.existsSync(${JSON.stringify(countFile)}) ? fs.readFileSync(${JSON.stringify(countFile)}, 'utf8') : 0) + 1;
    fs.writeFileSync(${JSON.stringify(countFile)}, String(run));
    if (run <= ${failures}) { console.error('run ' + run + ': cannot connect to the database'); process.exit(1); }
    console.log('run ' + run + ': listening as ' + process.pid);
    setInterval(() => {}, 1000);
  `;
}

/** The runner's part: supervise the service; on SIGTERM stop it twice at once (as two signals would), then exit. */
function runnerScript(service: string): string {
  return `
    const { supervise } = await import(${JSON.stringify(SUPERVISE)});
    const s = supervise('svc', process.execPath, ['-e', ${JSON.stringify(service)}], {
      initialDelayMs: 100, maxDelayMs: 400, healthyAfterMs: 2000, reportAfter: 3,
    });
    process.on('SIGTERM', async () => {
      await Promise.all([s.stop(), s.stop()]);
      console.log('stopped after ' + s.restarts() + ' restarts');
      process.exit(0);
    });
  `;
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function startRunner(failures: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervise-'));
  temporary.push(dir);
  const script = runnerScript(serviceScript(path.join(dir, 'runs'), failures));
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`never printed ${pattern}:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return pattern.exec(output) as RegExpExecArray;
  };
  return { child, exited, output: () => output, waitFor };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a service that dies is started again after a delay, and the log says why', async () => {
  const runner = startRunner(0);
  try {
    const first = Number((await runner.waitFor(/run 1: listening as (\d+)/))[1]);
    process.kill(first, 'SIGKILL');
    await runner.waitFor(
      /svc exited unexpectedly \(signal SIGKILL\); restarting in 100 ms \(failure 1 in a row\)/,
    );
    const second = Number((await runner.waitFor(/run 2: listening as (\d+)/))[1]);
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    runner.child.kill('SIGTERM');
    expect(await runner.exited).toBe(0);
    expect(runner.output()).toMatch(/stopped after 1 restarts/);
    expect(alive(second)).toBe(false);
  } finally {
    if (runner.child.exitCode === null) runner.child.kill('SIGKILL');
  }
});

test('a service failing at start is retried with growing delays, reported with its last lines, and the runner stays up', async () => {
  const runner = startRunner(4);
  try {
    await runner.waitFor(/run 5: listening as (\d+)/);
    const delays = [...runner.output().matchAll(/restarting in (\d+) ms/g)].map((m) => Number(m[1]));
    expect(delays).toEqual([100, 200, 400, 400]); // doubled per failure, up to the maximum
    // Reported once, after the third failure in a row, with what the service said.
    expect(runner.output().match(/keeps failing/g)).toHaveLength(1);
    expect(runner.output()).toMatch(
      /svc keeps failing \(3 times in a row\); its last lines:\n.*svc \| run 1: cannot connect to the database\n.*svc \| run 2: .*\n.*svc \| run 3: cannot connect/,
    );
    // Once it has run a while without failing, it is said to be running again.
    await runner.waitFor(/svc: running again/);
    expect(runner.child.exitCode).toBeNull();
  } finally {
    runner.child.kill('SIGTERM');
    await runner.exited;
  }
});

test('stopping while a restart is pending starts nothing more', async () => {
  const runner = startRunner(100);
  await runner.waitFor(/restarting in 400 ms/);
  runner.child.kill('SIGTERM');
  expect(await runner.exited).toBe(0);
  const runs = () => Number(fs.readFileSync(path.join(temporary.at(-1) as string, 'runs'), 'utf8'));
  const before = runs();
  await new Promise((r) => setTimeout(r, 600)); // longer than the pending delay
  expect(runs()).toBe(before);
  expect(before).toBeGreaterThanOrEqual(3);
});
