import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './testInfra';

// The dev-stack runner as a user meets it: started, asked to stop, and facing what it cannot fix.
const CLI = path.join(__dirname, 'cli.mjs');
const ROOT = path.join(__dirname, '..', '..');

// What `npm start` does once per checkout or change (compile; build the FerretDB launcher and fetch
// stripe-mock with Go) took from seconds to minutes with the machine's load, inside the 60 s a test
// has. It is done here, once, for the one service these tests run; the tests then time only
// starting and stopping (STACK_SKIP_BUILD).
beforeAll(() => {
  const prepare =
    "const t = await import('./scripts/stack/tools.mjs'); t.ensureFerretDB(); t.ensureStripeMock();";
  for (const [command, args] of [
    [path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'subgraphs/users']],
    [process.execPath, ['--input-type=module', '-e', prepare]],
  ] as const) {
    try {
      execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: string; stderr?: string };
      throw new Error(`${path.basename(command)} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
}, 15 * 60_000);

/**
 * A free port not handed out before in this file: a released port is free again at once, so two
 * picks made before anything binds could return the same one (users was given MongoDB's port).
 */
const handedOut = new Set<number>();
async function uniquePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!handedOut.has(port) && !handedOut.has(port - 1)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A free port whose next one is free too: stripe-mock serves HTTPS on the port after its HTTP one. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await uniquePort();
    if (handedOut.has(port + 1)) continue;
    handedOut.add(port + 1);
    const next = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      next.once('error', () => resolve(false));
      next.listen(port + 1, '127.0.0.1', () => resolve(true));
    });
    if (free) await new Promise((r) => next.close(r));
    if (free) return port;
  }
}

function run(command: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, command], { env: { ...process.env, ...env } });
  const started = Date.now();
  let output = '';
  let timeline = '';
  const take = (d: Buffer) => {
    output += d;
    const at = `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(7);
    timeline += d.toString().replace(/^(?=.)/gm, `${at} `);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => output, timeline: () => timeline };
}

/**
 * Waits for the runner to print `pattern`. Gives up before jest's 60 s, so a slow start fails
 * with the runner's output, each line timed, rather than an opaque test timeout.
 */
async function waitForOutput(stack: ReturnType<typeof run>, pattern: RegExp, ms = 45_000) {
  const deadline = Date.now() + ms;
  let gone = false;
  void stack.exited.then(() => (gone = true));
  while (!pattern.test(stack.output())) {
    if (gone || Date.now() > deadline) throw new Error(`never printed ${pattern}:\n${stack.timeline()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process in a process group (the runner starts each service in a group of its own). */
function groupMembers(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, group]) => group === pgid)
    .map(([pid]) => pid as number);
}

/** Temporary data and cache folders, removed after the tests. */
const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

async function privateStackEnv() {
  const dataDir = tempDir('stack-data-');
  return {
    TICKETING_DATA_DIR: dataDir,
    MONGO_URI: `mongodb://127.0.0.1:${await uniquePort()}`,
    NATS_URL: `nats://127.0.0.1:${await uniquePort()}`,
    REDIS_URL: `redis://127.0.0.1:${await uniquePort()}`,
    STRIPE_API_BASE: `http://127.0.0.1:${await freePortPair()}`,
    // jest runs from this checkout's node_modules: the runner must never reinstall (delete) it.
    STACK_SKIP_INSTALL: '1',
    STACK_SKIP_BUILD: '1',
  };
}

describe.each([['SIGTERM'], ['SIGINT']] as const)('npm start stopped with %s', (signal) => {
  let stack: ReturnType<typeof run> | undefined;
  // Even when a test fails, stop the runner the way a user would, so it stops what it started.
  afterEach(async () => {
    if (!stack || stack.child.exitCode !== null || stack.child.signalCode !== null) return;
    stack.child.kill('SIGTERM');
    await stack.exited;
  });

  test('starts every missing component, says it is ready, restarts a service that dies, and leaves no process behind', async () => {
    // The users subgraph stands for the services (on a free port, so a running `npm start` is left alone).
    const env = {
      ...(await privateStackEnv()),
      STACK_SERVICES: 'users',
      PORT: String(await uniquePort()),
      LOG_LEVEL: 'info',
      STACK_RESTART_DELAY_MS: '200',
    };
    const started = run('start', env);
    stack = started;
    const deadline = Date.now() + 50_000; // within jest's 60 s, with time left to stop
    await waitForOutput(stack, /\| ready/, deadline - Date.now());
    expect(stack.output()).toMatch(/npm dependencies: used as installed/);
    expect(stack.output()).not.toMatch(/installing npm dependencies/);

    const pids = [...stack.output().matchAll(/started on \S+ \(pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(4); // MongoDB, NATS, Redis and stripe-mock, all on private ports
    expect(pids.every(alive)).toBe(true);
    await waitForOutput(stack, /users +\|.*listening/, deadline - Date.now());
    const groups = () =>
      [...started.output().matchAll(/users: process group (\d+)/g)].map((m) => Number(m[1]));
    const first = groups()[0] as number;
    expect(groupMembers(first).length).toBeGreaterThan(0); // npm, sh, node

    // A crash (the whole group killed) is noticed and the service started again, listening anew.
    process.kill(-first, 'SIGKILL');
    await waitForOutput(
      stack,
      /users exited unexpectedly \(signal SIGKILL\); restarting in 200 ms/,
      deadline - Date.now(),
    );
    const listened = () => started.output().match(/users +\|.*listening/g)?.length ?? 0;
    while (listened() < 2) {
      if (Date.now() > deadline) throw new Error(`users never listened again:\n${stack.timeline()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = groups().at(-1) as number;
    expect(second).not.toBe(first);
    const users = groupMembers(second);
    expect(users.length).toBeGreaterThan(0);

    // Sent twice, as npm may: the second is the same request, and the stop stays clean.
    stack.child.kill(signal);
    stack.child.kill(signal);
    expect(await stack.exited).toBe(0);
    expect([...pids, ...users].filter(alive)).toEqual([]);
    expect(stack.output()).not.toMatch(/users exited unexpectedly(?!.*SIGKILL)/);
  });
});

test('a second run reuses what is there instead of starting another', async () => {
  const env = await privateStackEnv();
  const first = run('infra', env);
  await waitForOutput(first, /infrastructure ready/);
  const second = run('infra', env);
  try {
    await waitForOutput(second, /infrastructure ready/);
    expect(second.output()).not.toMatch(/started on/);
    // Every component the first run started or found (MongoDB, NATS, Redis, stripe-mock, Mailpit…).
    const components = first.output().match(/started on|using the one at/g)?.length ?? 0;
    expect(components).toBeGreaterThanOrEqual(4);
    expect(second.output().match(/using the one at/g)).toHaveLength(components);
  } finally {
    second.child.kill('SIGTERM');
    first.child.kill('SIGTERM');
    await Promise.all([first.exited, second.exited]);
  }
});

test('a component that can be neither found nor started is named, with the fix', async () => {
  const env = {
    ...(await privateStackEnv()),
    PATH: '/usr/bin:/bin', // no Go toolchain, no mongod
    TICKETING_CACHE_DIR: tempDir('stack-cache-'), // no built launcher
  };
  const stack = run('infra', env);
  expect(await stack.exited).toBe(1);
  expect(stack.output()).toMatch(
    /^MongoDB: nothing answers at mongodb:\/\/127\.0\.0\.1:\d+ and .*Go toolchain/m,
  );
  expect(stack.output()).toMatch(/Fix: set MONGO_URI to a running MongoDB, or install Go/);
});
