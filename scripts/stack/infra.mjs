// @ts-check
// The local infrastructure on embedded defaults: for each component, use what answers at the
// configured URL; otherwise start one on loopback, wait until it is healthy, and remember that
// we own it so that we stop it (and only it) afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { launchFerretDB } from './ferretdb.mjs';
import { StackError, say } from './log.mjs';
import { migrationSettled } from './migrateSqlite.mjs';
import { DATA_DIR } from './paths.mjs';
import { probeNats, probeRedis, probeStripe, probeTcp, tcpExchange, waitFor } from './probes.mjs';
import { startProcess } from './processes.mjs';
import { ensureDebianBinary, ensureMailpit, ensureNatsServer, ensureStripeMock, onPath } from './tools.mjs';

/**
 * @typedef {object} Component
 * @property {string} label       how people call it, in messages
 * @property {string} envVar      the setting holding its URL
 * @property {string} defaultUrl
 * @property {(url: URL) => Promise<boolean>} probe
 * @property {(url: URL, env: NodeJS.ProcessEnv) => Launch | Promise<Launch>} launch
 * @property {string} fix         what to do when it is neither reachable nor startable
 * @property {(env: NodeJS.ProcessEnv) => Record<string, string>} [moreSettings]  settings it adds
 * @property {() => Promise<void>} [settled]  waited for when one already answers (its starter may still be preparing it)
 */

/**
 * @typedef {object} Launch
 * @property {string} command
 * @property {string[]} args
 * @property {() => Promise<void>} [afterStart]  runs once it answers, before anyone uses it
 */

/** @param {string} name */
const dataDir = (name) => {
  const dir = path.join(DATA_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

/** @type {Record<string, Component>} */
export const COMPONENTS = {
  mongodb: {
    label: 'MongoDB',
    envVar: 'MONGO_URI',
    defaultUrl: 'mongodb://127.0.0.1:27017',
    probe: probeTcp,
    launch: (url, env) => {
      const mongod = onPath('mongod');
      if (mongod) {
        return {
          command: mongod,
          args: ['--bind_ip', url.hostname, '--port', url.port, '--dbpath', dataDir('mongod')],
        };
      }
      return launchFerretDB(url, env);
    },
    // The runner that started it may still be copying the old SQLite data into it.
    settled: () => migrationSettled(path.join(DATA_DIR, 'ferretdb')),
    fix: 'set MONGO_URI to a running MongoDB, or install Go so the FerretDB launcher can be built',
  },
  nats: {
    label: 'NATS JetStream',
    envVar: 'NATS_URL',
    defaultUrl: 'nats://127.0.0.1:4222',
    probe: probeNats,
    launch: (url) => ({
      command: ensureNatsServer(),
      args: ['-js', '-a', url.hostname, '-p', url.port, '-sd', dataDir('nats')],
    }),
    fix: 'set NATS_URL to a nats-server started with -js, or install nats-server (apt-get install nats-server)',
  },
  redis: {
    label: 'Redis',
    envVar: 'REDIS_URL',
    defaultUrl: 'redis://127.0.0.1:6379',
    probe: probeRedis,
    launch: (url) => ({
      command: ensureDebianBinary('Redis', 'redis-server', 'redis-server'),
      args: [
        '--bind',
        url.hostname,
        '--port',
        url.port,
        '--dir',
        dataDir('redis'),
        '--appendonly',
        'yes',
        '--save',
        '',
      ],
    }),
    fix: 'set REDIS_URL to a running Redis, or install redis-server (apt-get install redis-server)',
  },
  stripe: {
    label: 'Stripe (stripe-mock)',
    envVar: 'STRIPE_API_BASE',
    defaultUrl: 'http://127.0.0.1:12111',
    probe: probeStripe,
    launch: (url) => ({
      command: ensureStripeMock(),
      args: [
        '-http-addr',
        `${url.hostname}:${url.port}`,
        '-https-addr',
        `${url.hostname}:${Number(url.port) + 1}`,
      ],
    }),
    fix: 'set STRIPE_API_BASE to a running stripe-mock, or install Go so stripe-mock can be built',
  },
  mail: {
    label: 'Mail (Mailpit)',
    envVar: 'SMTP_URL',
    defaultUrl: 'smtp://127.0.0.1:1025',
    // An SMTP server greets first: 220.
    probe: async (url) =>
      (await tcpExchange(url.hostname, Number(url.port), { expectData: true }))?.startsWith('220') ?? false,
    launch: (url, env) => ({
      command: ensureMailpit(),
      args: [
        '--smtp',
        `${url.hostname}:${url.port}`,
        '--listen',
        new URL(mailpitUrl(env)).host,
        '--database',
        path.join(dataDir('mailpit'), 'mailpit.db'),
        '--disable-version-check',
        '--quiet',
      ],
    }),
    // Its web inbox and HTTP API (tests read delivered mail there).
    moreSettings: (env) => ({ MAILPIT_URL: mailpitUrl(env) }),
    fix: 'set SMTP_URL to a running SMTP server, or install Go so Mailpit can be built',
  },
};

/** @param {NodeJS.ProcessEnv} env */
const mailpitUrl = (env) => env.MAILPIT_URL || 'http://127.0.0.1:8025';

const DEFAULT_PORTS = {
  'mongodb:': '27017',
  'nats:': '4222',
  'redis:': '6379',
  'http:': '80',
  'smtp:': '25',
};

/** @param {string} raw */
function parseUrl(raw) {
  const url = new URL(raw);
  if (!url.port) url.port = DEFAULT_PORTS[/** @type {keyof typeof DEFAULT_PORTS} */ (url.protocol)] ?? '';
  return url;
}

/** @param {URL} url */
const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);

/**
 * @param {string} key
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ url: string, started?: import('./processes.mjs').Managed }>}
 */
async function ensureComponent(key, env) {
  const c = /** @type {Component} */ (COMPONENTS[key]);
  // Real Stripe when a secret key is configured without a local API base.
  if (key === 'stripe' && env.STRIPE_SECRET_KEY && !env.STRIPE_API_BASE) return { url: '' };
  const raw = env[c.envVar] || c.defaultUrl;
  const url = parseUrl(raw);
  // Something that accepts connections but answered slowly (stripe-mock under load takes over the
  // probe's second) is waited for, not doubled by a second one that could only fail to bind.
  const answers = async () =>
    (await c.probe(url)) || ((await probeTcp(url)) && (await waitFor(() => c.probe(url), 30_000)));
  if (await answers()) {
    say(`${c.label}: using the one at ${url.host}`);
    await c.settled?.();
    return { url: raw };
  }
  if (!isLoopback(url)) throw new StackError(c.label, `nothing answers at ${raw} (${c.envVar})`, c.fix);

  /** @type {Launch} */
  let launch;
  try {
    launch = await c.launch(url, env);
  } catch (err) {
    if (err instanceof StackError)
      throw new StackError(c.label, `nothing answers at ${raw} and ${err.message}`, c.fix);
    throw err;
  }
  const proc = startProcess(key, launch.command, launch.args, { output: 'file' });
  const exited = proc.exited.then(() => false);
  const healthy = await Promise.race([waitFor(() => c.probe(url), 60_000), exited]);
  if (healthy) {
    say(`${c.label}: started on ${url.host} (pid ${proc.pid}, log .data/logs/${key}.log)`);
    try {
      await launch.afterStart?.();
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return { url: raw, started: proc };
  }
  await proc.stop();
  // Another runner may have started one at the same moment: then use theirs, once it is ready.
  if (await c.probe(url)) {
    say(`${c.label}: another runner started one on ${url.host}; using it`);
    await c.settled?.();
    return { url: raw };
  }
  throw new StackError(c.label, `could not start on ${url.host} (see .data/logs/${key}.log)`, c.fix);
}

/**
 * Makes sure every component answers; returns the settings for services and a stop function
 * that stops only what was started here. Safe to call stop twice.
 * @param {NodeJS.ProcessEnv} [env]
 */
export async function ensureInfra(env = process.env) {
  /** @type {import('./processes.mjs').Managed[]} */
  const started = [];
  /** @type {Record<string, string>} */
  const settings = {};
  const stop = () => Promise.all(started.map((p) => p.stop())).then(() => undefined);
  try {
    // One at a time: the Go builds behind them would fight over two cores.
    for (const key of Object.keys(COMPONENTS)) {
      const c = /** @type {Component} */ (COMPONENTS[key]);
      const result = await ensureComponent(key, env);
      if (result.url) settings[c.envVar] = result.url;
      if (result.url && c.moreSettings) Object.assign(settings, c.moreSettings(env));
      if (result.started) started.push(result.started);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  if (settings.MAILPIT_URL) say(`mail inbox (Mailpit): ${settings.MAILPIT_URL}`);
  return { settings, started, stop };
}
