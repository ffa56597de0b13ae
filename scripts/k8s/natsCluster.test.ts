// The overlays' nats.conf run by real nats-servers on loopback (private ones, never the shared
// NATS): production's three-server JetStream cluster takes the services' password, holds streams
// of events-config's replicas and sizes (as events/src/streams.ts creates them) inside its
// JetStream budget, and keeps taking events with one server down; the local overlay's single
// server does the same with one copy. (connectEvents' use of the URL's password is events' test.)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  DiscardPolicy,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from '../stack/testInfra';
import { Cluster, natsBytesOf, OVERLAYS, ROOT, render } from './renderOverlays';
import { type StreamSettings, streamSettingsOf } from './repository';

const rendered = render(OVERLAYS);
// As the README makes it: a letter first. nats-server reads `$NATS_PASSWORD` in its config as a
// value of its own syntax, so a bare hex one that starts like a number ("4e1…", "1234…") is refused
// or read as a number, and the server does not start (one CI run in about thirty).
const password = `p${randomBytes(16).toString('hex')}`;
const natsServer = execFileSync(
  process.execPath,
  ['-e', "import('./scripts/stack/tools.mjs').then((t) => console.log(t.ensureNatsServer()))"],
  { cwd: ROOT, encoding: 'utf8' },
)
  .trim()
  .split('\n')
  .at(-1) as string;

interface Server {
  child: ChildProcess;
  port: number;
  monitor: number;
}
const started: Server[] = [];
const dirs: string[] = [];
let nc: NatsConnection | undefined;

afterEach(async () => {
  await nc?.close().catch(() => undefined);
  nc = undefined;
  await Promise.all(started.splice(0).map(stop));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function overlay(name: (typeof OVERLAYS)[number]) {
  const cluster = new Cluster(rendered[name].objects);
  const conf = Object.values(cluster.generatedConfigMap('nats-config').data ?? {}).join('\n');
  return { conf, streams: streamSettingsOf(cluster.configMapData('events-config')) };
}

/** The overlay's configuration moved onto loopback ports and a scratch store; the rest as it is. */
function onLoopback(
  conf: string,
  ports: { client: number; monitor: number; cluster: number },
  routes: number[],
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nats-k8s-'));
  dirs.push(dir);
  const text = conf
    .replace(/^listen: .*$/m, `listen: 127.0.0.1:${ports.client}`)
    .replace(/^http: .*$/m, `http: 127.0.0.1:${ports.monitor}`)
    .replace(/store_dir: \S+/, `store_dir: ${JSON.stringify(path.join(dir, 'js'))}`)
    .replace(/(cluster \{[^}]*?)listen: \S+/, `$1listen: 127.0.0.1:${ports.cluster}`)
    .replace(
      /routes: \[[^\]]*\]/,
      `routes: [\n${routes.map((p) => `    nats://127.0.0.1:${p}`).join('\n')}\n  ]`,
    );
  const file = path.join(dir, 'nats.conf');
  fs.writeFileSync(file, text);
  return file;
}

async function start(file: string, podName: string, port: number, monitor: number): Promise<Server> {
  const child = spawn(natsServer, ['--config', file], {
    env: { ...process.env, POD_NAME: podName, NATS_PASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const server = { child, port, monitor };
  started.push(server);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
  return server;
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

/** Retried while the JetStream cluster elects its leaders (a few seconds after start). */
async function eventually<T>(fn: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A GET without keep-alive (fetch's pooled socket would outlive the test). */
function get(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(address, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

const STREAM = 'TICKETING';

/** Both streams as events/src/streams.ts's ensureStreams creates them, with these settings. */
async function addStreams(jsm: JetStreamManager, s: StreamSettings): Promise<void> {
  const common = { storage: StorageType.File, discard: DiscardPolicy.Old, num_replicas: s.replicas };
  await jsm.streams.add({ ...common, name: STREAM, subjects: ['ticketing.>'], max_bytes: s.maxBytes });
  await jsm.streams.add({
    ...common,
    name: `${STREAM}_DLQ`,
    subjects: ['ticketing-dlq.>'],
    max_bytes: s.deadLetterMaxBytes,
  });
}

/** The services' client: user ticketing and the Secret's NATS_PASSWORD. */
const client = (port: number, pass = password) =>
  connect({ servers: `127.0.0.1:${port}`, user: 'ticketing', pass, reconnect: false });

test('production: three servers, the password, replicated streams within the budget, one server down', async () => {
  const { conf, streams } = overlay('k8s/overlays/production');
  const ports = await Promise.all(
    [0, 1, 2].map(async () => ({
      client: await freePort(),
      monitor: await freePort(),
      cluster: await freePort(),
    })),
  );
  const servers = await Promise.all(
    ports.map((p, i) =>
      start(
        onLoopback(
          conf,
          p,
          ports.map((x) => x.cluster),
        ),
        `nats-${i}`,
        p.client,
        p.monitor,
      ),
    ),
  );
  const first = servers[0] as Server;

  await expect(client(first.port, 'wrong')).rejects.toThrow(/Authorization/);
  const connection = await client(first.port);
  nc = connection;
  // The cluster elects its JetStream leader first: seconds on a busy machine.
  const jsm = await eventually(() => jetstreamManager(connection));
  // Each server reserves both streams against its budget: refused if they did not fit.
  await eventually(() => addStreams(jsm, streams));

  const info = await jsm.streams.info(STREAM);
  expect(info.config.num_replicas).toBe(3);
  expect(info.config.max_bytes).toBe(streams.maxBytes);
  expect(info.cluster?.replicas?.length).toBe(2);
  expect((await jsm.streams.info(`${STREAM}_DLQ`)).config.num_replicas).toBe(3);

  // One server of three down: the other two keep the quorum, and events are still stored.
  const down = servers[2] as Server;
  await stop(down);
  const js = jetstream(connection);
  const ack = await eventually(() => js.publish('ticketing.k8s.test', 'one server down'));
  expect(ack.stream).toBe(STREAM);
}, 120_000);

test('local: one server, the password, one copy of each stream, the budget nats-server reports', async () => {
  const { conf, streams } = overlay('k8s/overlays/local');
  const p = { client: await freePort(), monitor: await freePort(), cluster: 0 };
  const server = await start(onLoopback(conf, p, []), 'nats-0', p.client, p.monitor);

  await expect(client(server.port, 'wrong')).rejects.toThrow(/Authorization/);
  nc = await client(server.port);
  const jsm = await jetstreamManager(nc);
  await addStreams(jsm, streams);
  const info = await jsm.streams.info(STREAM);
  expect(info.config.num_replicas).toBe(1);
  expect(info.config.max_bytes).toBe(streams.maxBytes);

  // The budget the server applies is the one scripts/k8s/topology.test.ts reads from nats.conf.
  const varz = JSON.parse(await get(`http://127.0.0.1:${server.monitor}/varz`)) as {
    jetstream: { config: { max_storage: number } };
  };
  const budget = /max_file_store:\s*(\S+)/.exec(conf)?.[1] as string;
  expect(varz.jetstream.config.max_storage).toBe(natsBytesOf(budget));
}, 60_000);
