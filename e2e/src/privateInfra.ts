import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@ticketing/kit/testing';

// Infrastructure of a test's or bench's own, on free ports and in temporary folders, that it may
// kill and restart at will: the shared one (`npm run infra`) is never restarted.

const ROOT = path.join(__dirname, '..', '..');

/** One infrastructure process, restartable on the same port and data. */
export interface InfraProcess {
  name: string;
  url: string;
  /** Killed (SIGKILL: a crash, not a clean stop); resolves once it is gone. */
  kill(): Promise<void>;
  /** Started again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  running(): boolean;
}

export interface PrivateInfra {
  nats: InfraProcess;
  redis: InfraProcess;
  mongo: InfraProcess;
  /** Settings pointing services at these (NATS_URL, REDIS_URL, MONGO_URI). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

function infraProcess(
  name: string,
  url: string,
  port: number,
  command: string,
  args: string[],
  logFile: string,
): InfraProcess {
  let child: ChildProcess | undefined;
  return {
    name,
    url,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      const log = fs.openSync(logFile, 'a');
      const started = spawn(command, args, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      child = started;
      const deadline = Date.now() + 30_000;
      while (!(await accepts(port))) {
        if (started.exitCode !== null || Date.now() > deadline) {
          throw new Error(`${name} did not start: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      await exited;
    },
  };
}

/** The FerretDB launcher `npm start` built (tools/ferretdb, in .cache/bin). */
function ferretdbBinary(): string {
  const dir = path.join(ROOT, '.cache', 'bin');
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith('ferretdb-')) : undefined;
  if (!found) throw new Error('no FerretDB launcher in .cache/bin: run `npm run infra` once to build it');
  return path.join(dir, found);
}

/** NATS JetStream, Redis (append-only, as `npm start` runs it) and FerretDB on SQLite, all private. */
export async function startPrivateInfra(label: string): Promise<PrivateInfra> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-infra-`));
  const taken = new Set<number>();
  const [natsPort, redisPort, mongoPort] = [
    await freePort(taken),
    await freePort(taken),
    await freePort(taken),
  ];
  const sub = (name: string) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const nats = infraProcess(
    'nats',
    `nats://127.0.0.1:${natsPort}`,
    natsPort,
    'nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', sub('nats')],
    path.join(dir, 'nats.log'),
  );
  const redis = infraProcess(
    'redis',
    `redis://127.0.0.1:${redisPort}`,
    redisPort,
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--dir',
      sub('redis'),
      '--appendonly',
      'yes',
      '--save',
      '',
    ],
    path.join(dir, 'redis.log'),
  );
  const mongo = infraProcess(
    'database',
    `mongodb://127.0.0.1:${mongoPort}`,
    mongoPort,
    ferretdbBinary(),
    ['-listen-addr', `127.0.0.1:${mongoPort}`, '-handler', 'sqlite', '-data-dir', sub('ferretdb')],
    path.join(dir, 'ferretdb.log'),
  );
  const all = [nats, redis, mongo];
  const stop = async () => {
    for (const p of all) await p.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of all) await p.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nats,
    redis,
    mongo,
    env: { NATS_URL: nats.url, REDIS_URL: redis.url, MONGO_URI: mongo.url },
    stop,
  };
}
