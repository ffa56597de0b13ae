import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { dropDatabase, infra, psql, psqlOn } from './testInfra';

// Where FerretDB keeps a stack's data when the runner starts it: on the machine's PostgreSQL, in a
// database of the data folder's own, which goes when the folder goes (as SQLite files did).
const databasesOf = (folder: string) =>
  psql(
    `select datname from pg_database where shobj_description(oid, 'pg_database') = 'ticketing data folder: ${folder}'`,
  );

const folders: string[] = [];
const newFolder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-ferretdb-'));
  folders.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of folders) {
    for (const name of databasesOf(dir).split('\n').filter(Boolean)) dropDatabase(name);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a private data folder gets a PostgreSQL database of its own, dropped once the folder is deleted', async () => {
  const first = newFolder();
  const second = newFolder();
  const write = (uri: string) =>
    MongoClient.connect(uri, { directConnection: true }).then(async (client) => {
      await client.db('shop').collection('tickets').insertOne({ title: 'kept' });
      await client.close();
    });
  const one = await infra({ TICKETING_DATA_DIR: first }, write);
  const two = await infra({ TICKETING_DATA_DIR: second }, async (uri) => {
    const client = await MongoClient.connect(uri, { directConnection: true });
    expect(await client.db('shop').collection('tickets').countDocuments()).toBe(0);
    await client.close();
  });
  expect(one.output).toMatch(/FerretDB on PostgreSQL \(database ferretdb_[0-9a-f]{10} at 127\.0\.0\.1:5432/);
  expect([one.code, two.code]).toEqual([0, 0]);
  const database = databasesOf(first);
  expect(database).toMatch(/^ferretdb_[0-9a-f]{10}$/);

  fs.rmSync(first, { recursive: true });
  const next = await infra({ TICKETING_DATA_DIR: second });

  expect(next.output).toContain(`dropped database ${database}, whose data folder ${first} is gone`);
  expect(psql(`select count(*) from pg_database where datname = '${database}'`)).toBe('0');
  expect(databasesOf(second)).not.toBe('');
});

test('FERRETDB_BACKEND=sqlite keeps the data in the folder, and says it is slower', async () => {
  const folder = newFolder();
  const run = await infra({ TICKETING_DATA_DIR: folder, FERRETDB_BACKEND: 'sqlite' }, async (uri) => {
    const client = await MongoClient.connect(uri, { directConnection: true });
    await client.db('shop').collection('tickets').insertOne({ title: 'on disk' });
    await client.close();
  });
  expect(run.output).toMatch(
    /FerretDB on SQLite in .*\(FERRETDB_BACKEND=sqlite; slower: only \{_id: value\}/,
  );
  expect(fs.readdirSync(path.join(folder, 'ferretdb'))).toContain('shop.sqlite');
  expect(databasesOf(folder)).toBe('');
});

test('lookups by _id and by an indexed field are served from an index, not a scan of the collection', async () => {
  const folder = newFolder();
  const run = await infra({ TICKETING_DATA_DIR: folder }, async (uri) => {
    const client = await MongoClient.connect(uri, { directConnection: true });
    const tickets = client.db('shop').collection<{ _id: number; sellerId: string }>('tickets');
    await tickets.createIndex({ sellerId: 1 });
    await tickets.insertMany(Array.from({ length: 2_000 }, (_, i) => ({ _id: i, sellerId: `s${i % 100}` })));
    for (let i = 0; i < 10; i++) {
      expect(await tickets.findOne({ _id: i * 7 })).toMatchObject({ sellerId: `s${(i * 7) % 100}` });
      expect(await tickets.find({ sellerId: `s${i}` }).toArray()).toHaveLength(20);
    }
    await client.close();
  });
  expect(run.code).toBe(0);

  // Counted once FerretDB's connections have closed (PostgreSQL reports a session's counts then).
  const database = databasesOf(folder);
  const url = `postgres://127.0.0.1:5432/${database}?user=postgres`;
  const stats = (sql: string) => psqlOn(url, sql);
  const scanned = stats(
    "select coalesce(sum(seq_tup_read), 0) from pg_stat_user_tables where schemaname = 'shop' and relname <> '_ferretdb_database_metadata'",
  );
  const byIndex = stats(
    "select coalesce(sum(idx_scan), 0) from pg_stat_user_indexes where schemaname = 'shop' and indexrelname like '%_gin1'",
  );
  expect(Number(scanned)).toBe(0);
  expect(Number(byIndex)).toBeGreaterThanOrEqual(20);
});

test('a FerretDB holds at most 20 PostgreSQL connections, so private stacks beside npm start never exhaust the server', async () => {
  const folder = newFolder();
  let held = '';
  const run = await infra({ TICKETING_DATA_DIR: folder }, async (uri) => {
    const client = await MongoClient.connect(uri, { directConnection: true, maxPoolSize: 100 });
    const tickets = client.db('shop').collection('tickets');
    await Promise.all(Array.from({ length: 300 }, (_, i) => tickets.insertOne({ i })));
    held = psql(
      `select count(*) from pg_stat_activity where datname = '${databasesOf(folder)}' and backend_type = 'client backend'`,
    );
    await client.close();
  });
  expect(run.code).toBe(0);
  expect(run.output).toContain('writes acknowledged before the disk flush, as a standalone MongoDB does');
  expect(Number(held)).toBeGreaterThan(0);
  expect(Number(held)).toBeLessThanOrEqual(20);
});
