import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { dropDatabase, freePort, infra } from './testInfra';

// A machine whose .data/ holds databases of the old layout (FerretDB on SQLite) meets the new
// default (FerretDB on PostgreSQL), as a user does: `npm run infra`, then the data through MONGO_URI.
// Each test has its own data folder, its own PostgreSQL database and FerretDB on free ports.

async function withClient(uri: string, fn: (client: MongoClient) => Promise<void>) {
  const client = await MongoClient.connect(uri, { directConnection: true });
  try {
    await fn(client);
  } finally {
    await client.close();
  }
}

const tickets = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ code: `T${i}`, sellerId: `seller${i % 7}`, price: i }));

let dataDir: string;
let postgresUrl: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-migrate-'));
  postgresUrl = `postgres://127.0.0.1:5432/test_migrate_${randomBytes(4).toString('hex')}?user=postgres`;
});

afterEach(() => {
  dropDatabase(new URL(postgresUrl).pathname.slice(1));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What a user had before: the stack on SQLite, with a shop and a test's leftover database. */
async function oldLayout(seed: (client: MongoClient) => Promise<void>) {
  const old = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_BACKEND: 'sqlite' }, (uri) =>
    withClient(uri, seed),
  );
  expect(old.output).toMatch(/FerretDB on SQLite .*slower/);
  expect(old.code).toBe(0);
}

test('the old SQLite data is copied into PostgreSQL with its indexes, and the old folder is kept aside', async () => {
  await oldLayout(async (client) => {
    const shop = client.db('shop');
    await shop.collection('tickets').createIndex({ code: 1 }, { unique: true });
    await shop.collection('tickets').createIndex({ sellerId: 1 });
    await shop.collection('tickets').insertMany(tickets(1_500));
    await shop.createCollection('empty');
    await client.db('test_leftover_1234').collection('x').insertOne({ junk: true });
  });

  const run = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_POSTGRES_URL: postgresUrl }, (uri) =>
    withClient(uri, async (client) => {
      const shop = client.db('shop');
      expect(await shop.collection('tickets').countDocuments()).toBe(1_500);
      expect(await shop.collection('tickets').findOne({ code: 'T1499' })).toMatchObject({ price: 1499 });
      const indexes = await shop.collection('tickets').listIndexes().toArray();
      expect(indexes.map((ix) => ix.name).sort()).toEqual(['_id_', 'code_1', 'sellerId_1']);
      await expect(shop.collection('tickets').insertOne({ code: 'T7' })).rejects.toMatchObject({
        code: 11000,
      });
      const collections = await shop.listCollections({}, { nameOnly: true }).toArray();
      expect(collections.map((c) => c.name).sort()).toEqual(['empty', 'tickets']);
      const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
      expect(databases.map((d) => d.name)).not.toContain('test_leftover_1234');
    }),
  );

  expect(run.output).toMatch(/FerretDB on PostgreSQL.*\n(.*\n)*.*copied shop \(1500 documents\)/);
  expect(run.code).toBe(0);
  const kept = fs.readdirSync(dataDir).filter((f) => f.startsWith('ferretdb-sqlite.migrated-'));
  expect(kept).toHaveLength(1);
  expect(fs.existsSync(path.join(dataDir, 'ferretdb'))).toBe(false);
  expect(fs.readdirSync(path.join(dataDir, kept[0] as string))).toContain('shop.sqlite');

  // The next start finds nothing left to copy and the data where it was.
  const again = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_POSTGRES_URL: postgresUrl }, (uri) =>
    withClient(uri, async (client) => {
      expect(await client.db('shop').collection('tickets').countDocuments()).toBe(1_500);
    }),
  );
  expect(again.output).not.toMatch(/copying/);
});

test('when PostgreSQL already holds the same collection, nothing is copied or moved and the runner says what to do', async () => {
  const current = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_POSTGRES_URL: postgresUrl }, (uri) =>
    withClient(uri, async (client) => {
      await client.db('shop').collection('tickets').insertOne({ code: 'NEW' });
    }),
  );
  expect(current.code).toBe(0);
  await oldLayout(async (client) => {
    await client.db('shop').collection('tickets').insertMany(tickets(3));
  });

  const run = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_POSTGRES_URL: postgresUrl });

  expect(run.code).toBe(1);
  expect(run.output).toMatch(
    /shop\.tickets already has documents on PostgreSQL, so nothing was copied\. Fix: /,
  );
  expect(fs.readdirSync(path.join(dataDir, 'ferretdb'))).toContain('shop.sqlite');
  const after = await infra({ TICKETING_DATA_DIR: dataDir, FERRETDB_BACKEND: 'sqlite' }, (uri) =>
    withClient(uri, async (client) => {
      expect(await client.db('shop').collection('tickets').countDocuments()).toBe(3);
    }),
  );
  expect(after.code).toBe(0);
});

test('two runners started at once on the same old folder copy it once', async () => {
  await oldLayout(async (client) => {
    await client.db('shop').collection('tickets').insertMany(tickets(1_200));
  });
  const env = { TICKETING_DATA_DIR: dataDir, FERRETDB_POSTGRES_URL: postgresUrl };
  const MONGO_URI = `mongodb://127.0.0.1:${await freePort()}`;
  // Both count before either stops: one of them serves the other's MONGO_URI too.
  let counted = 0;
  const count = (uri: string) =>
    withClient(uri, async (client) => {
      expect(await client.db('shop').collection('tickets').countDocuments()).toBe(1_200);
      counted++;
      while (counted < 2) await new Promise((r) => setTimeout(r, 50));
    });

  const runs = await Promise.all([infra({ ...env, MONGO_URI }, count), infra({ ...env, MONGO_URI }, count)]);

  expect(runs).toEqual([expect.objectContaining({ code: 0 }), expect.objectContaining({ code: 0 })]);
  expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('ferretdb-sqlite.migrated-'))).toHaveLength(1);
  expect(fs.readdirSync(dataDir)).not.toContain('ferretdb');
});
