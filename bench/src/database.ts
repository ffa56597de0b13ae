// The raw query shapes of issue 13 on FerretDB's backends side by side, at each size: which shapes
// a backend serves from an index and which read the whole collection. Three FerretDBs, each on a
// free port of its own: on SQLite (a temporary folder), on PostgreSQL as FerretDB sets it up, and
// on PostgreSQL as the runner sets it up (GIN indexes and custom plans, scripts/stack/
// ferretdbIndexes.sql), each in a database made for the run; all stopped and their data dropped
// at the end, also on Ctrl-C.
//
//   npm run database -w bench [-- --sizes 1000,10000 --samples 50 --budget 8]
// --samples: per figure at most; --budget: seconds per figure after which it stops at 5 samples or
// more (a sorted page takes over a second at 10,000 documents on SQLite).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Collection, MongoClient, ObjectId } from 'mongodb';
import { flag, ms, percentile } from './stats';

const sizes = (argValue('sizes') ?? '1000,10000').split(',').map(Number);
const maxSamples = flag('samples', 50);
const budgetMs = flag('budget', 8) * 1000;
const ROOT = path.resolve(__dirname, '../..');
const SELLERS = 200;

interface Ticket {
  _id: ObjectId;
  title: string;
  price: number;
  sellerId: string;
  status: 'AVAILABLE' | 'RESERVED' | 'SOLD';
  createdAt: Date;
  version: number;
}

interface Backend {
  name: string;
  process: ChildProcess;
  client: MongoClient;
  tickets: Collection<Ticket>;
  ids: ObjectId[];
  versions: Map<string, number>;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** The launcher the runner builds (tools/ferretdb), built now if it is not yet. */
function ferretdbBinary(): string {
  const tools = path.join(ROOT, 'scripts/stack/tools.mjs');
  const script = `import { ensureFerretDB } from ${JSON.stringify(tools)}; console.log(ensureFerretDB());`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const binary = run.stdout.trim().split('\n').at(-1);
  if (run.status !== 0 || !binary) throw new Error(`could not build the FerretDB launcher: ${run.stderr}`);
  return binary;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A PostgreSQL database of this run on the server the runner would use (FERRETDB_POSTGRES_URL's).
 * `indexed`: set up as the runner sets up its own (scripts/stack/ferretdbIndexes.sql), else as
 * FerretDB leaves it.
 */
function postgresDatabase(indexed: boolean) {
  const server = new URL(
    process.env.FERRETDB_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/postgres?user=postgres',
  );
  const name = `bench_database_${randomBytes(4).toString('hex')}`;
  const maintenance = new URL(server);
  maintenance.pathname = '/postgres';
  const own = new URL(server);
  own.pathname = `/${name}`;
  const psql = (database: URL, ...commands: string[]) => {
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database.toString(), ...commands];
    const env = { ...process.env, PGOPTIONS: '-c client_min_messages=warning' };
    const run = spawnSync('psql', args, { encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`psql: ${run.stderr || run.error?.message}`);
  };
  return {
    url: own.toString(),
    create: () => {
      psql(maintenance, '-c', `create database "${name}"`);
      if (!indexed) return;
      psql(own, '-f', path.join(ROOT, 'scripts/stack/ferretdbIndexes.sql'));
      psql(own, '-c', `alter database "${name}" set plan_cache_mode = force_custom_plan`);
    },
    // Planner statistics as autovacuum keeps them: right after a bulk load they still describe an
    // empty table, and PostgreSQL scans the whole table where it would use an index.
    analyze: () => psql(own, '-c', 'analyze'),
    drop: () => psql(maintenance, '-c', `drop database if exists "${name}" with (force)`),
  };
}

async function startBackend(name: string, binary: string, handlerArgs: string[]): Promise<Backend> {
  const port = await freePort();
  const child = spawn(binary, ['-listen-addr', `127.0.0.1:${port}`, ...handlerArgs], { stdio: 'ignore' });
  const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { directConnection: true, maxPoolSize: 25 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.connect();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const tickets = client.db('bench_database').collection<Ticket>('tickets');
  // The indexes real MongoDB needs for these shapes, declared as the models declare theirs.
  await tickets.createIndex({ status: 1, createdAt: -1 });
  await tickets.createIndex({ sellerId: 1 });
  return { name, process: child, client, tickets, ids: [], versions: new Map() };
}

async function seed(backend: Backend, size: number) {
  const base = Date.UTC(2026, 0, 1);
  for (let from = backend.ids.length; from < size; from += 1000) {
    const batch: Ticket[] = [];
    for (let i = from; i < Math.min(size, from + 1000); i++) {
      const status = i % 10 < 8 ? 'AVAILABLE' : i % 10 === 8 ? 'RESERVED' : 'SOLD';
      const t = {
        _id: new ObjectId(),
        title: `Ticket ${i}`,
        price: 10 + (i % 90),
        status,
        version: 0,
      } as const;
      batch.push({ ...t, sellerId: `seller-${i % SELLERS}`, createdAt: new Date(base + i * 60_000) });
    }
    await backend.tickets.insertMany(batch);
    for (const t of batch) backend.ids.push(t._id);
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** The shapes, each a request as the app would send it; returns false when it did not do its job. */
const SHAPES: Array<[string, (b: Backend) => Promise<boolean>]> = [
  ['findById', async (b) => (await b.tickets.findOne({ _id: pick(b.ids) })) !== null],
  [
    'update {_id, version}',
    async (b) => {
      const id = pick(b.ids);
      const version = b.versions.get(id.toHexString()) ?? 0;
      const r = await b.tickets.updateOne(
        { _id: id, version },
        { $set: { version: version + 1, price: 42 } },
      );
      b.versions.set(id.toHexString(), version + 1);
      return r.modifiedCount === 1;
    },
  ],
  [
    '{status} sort createdAt desc, 20',
    async (b) =>
      (await b.tickets.find({ status: 'AVAILABLE' }).sort({ createdAt: -1 }).limit(20).toArray()).length ===
      20,
  ],
  [
    '{sellerId} limit 20',
    async (b) =>
      (
        await b.tickets
          .find({ sellerId: `seller-${Math.floor(Math.random() * SELLERS)}` })
          .limit(20)
          .toArray()
      ).length > 0,
  ],
  // Not in the table: 80% of documents match, no sort. Tells whether a backend streams
  // the matches and stops at the limit (FerretDB pushes a limit down only without filter and sort).
  [
    '{status} limit 20, no sort',
    async (b) => (await b.tickets.find({ status: 'AVAILABLE' }).limit(20).toArray()).length === 20,
  ],
  [
    '$in of 20 ids',
    async (b) => {
      const ids = Array.from({ length: 20 }, () => pick(b.ids));
      return (await b.tickets.find({ _id: { $in: ids } }).toArray()).length > 0;
    },
  ],
  [
    '20 findById at once',
    async (b) =>
      (await Promise.all(Array.from({ length: 20 }, () => b.tickets.findOne({ _id: pick(b.ids) })))).every(
        Boolean,
      ),
  ],
];

async function measure(b: Backend, shape: (b: Backend) => Promise<boolean>): Promise<number[]> {
  if (!(await shape(b))) throw new Error(`${b.name}: a shape returned nothing (warm-up)`);
  const sample: number[] = [];
  const start = performance.now();
  while (sample.length < maxSamples && (sample.length < 5 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    const ok = await shape(b);
    sample.push(performance.now() - t0);
    if (!ok) throw new Error(`${b.name}: a shape returned nothing`);
  }
  return sample;
}

const cell = (sample: number[]) =>
  `${ms(percentile(sample, 50))} / ${ms(percentile(sample, 99))} (${sample.length})`.padEnd(30);

async function main() {
  const binary = ferretdbBinary();
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-database-'));
  const plain = postgresDatabase(false);
  const indexed = postgresDatabase(true);
  const databases = [plain, indexed];
  const backends: Backend[] = [];
  const stop = async () => {
    await Promise.all(backends.map((b) => b.tickets.db.dropDatabase().catch(() => undefined)));
    await Promise.all(backends.map((b) => b.client.close()));
    for (const b of backends) b.process.kill('SIGTERM');
    await Promise.all(
      backends.map((b) => b.process.exitCode ?? new Promise((r) => b.process.once('exit', r))),
    );
    for (const d of databases) d.drop();
    fs.rmSync(sqliteDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    backends.push(await startBackend('SQLite', binary, ['-handler', 'sqlite', '-data-dir', sqliteDir]));
    for (const d of databases) d.create();
    const onPostgres = (url: string) => ['-handler', 'postgresql', '-postgresql-url', url];
    backends.push(await startBackend('PostgreSQL, as FerretDB', binary, onPostgres(plain.url)));
    backends.push(await startBackend('PostgreSQL, as the runner', binary, onPostgres(indexed.url)));
    const load = os.loadavg()[0]?.toFixed(1);
    console.log(
      `FerretDB v1.24 (tools/ferretdb), node mongodb driver; ${os.cpus().length} cores, load ${load}`,
    );
    console.log('p50 / p99 (samples), one backend measured at a time');
    for (const size of sizes) {
      for (const b of backends) await seed(b, size);
      for (const d of databases) d.analyze();
      console.log(
        `\n${size.toLocaleString('en')} documents`.padEnd(37) +
          backends.map((b) => b.name.padEnd(30)).join(''),
      );
      for (const [label, shape] of SHAPES) {
        const cells: string[] = [];
        for (const b of backends) cells.push(cell(await measure(b, shape)));
        console.log(`  ${label.padEnd(35)}${cells.join('')}`);
      }
    }
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
