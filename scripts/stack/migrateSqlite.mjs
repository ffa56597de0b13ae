// @ts-check
// Moves the data of the old layout (FerretDB on SQLite files in .data/ferretdb) into the backend
// FerretDB now runs on: the old FerretDB is started on a free loopback port, every database that
// is not a test's is copied with its collections and indexes through the MongoDB driver, and the
// old folder is renamed, never deleted. A copy interrupted half-way resumes on the next start.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StackError, say } from './log.mjs';
import { probeTcp, waitFor } from './probes.mjs';
import { startProcess } from './processes.mjs';

/** Written before the first copy; while it is there, documents already copied are skipped. */
const MARKER = 'migrating-to-postgresql';
const SKIPPED = /^(test_|admin$|local$|config$)/;

/** @param {string} dir */
export const holdsSqliteData = (dir) =>
  fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.sqlite'));

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((r) => server.close(r));
  return port;
}

/** @returns {Promise<typeof import('mongodb')>} */
async function mongodbDriver() {
  try {
    return await import('mongodb');
  } catch {
    throw new StackError(
      'MongoDB (FerretDB)',
      'the data folder holds databases from the old SQLite layout, and moving them needs the mongodb package',
      'run "npm install" and start again, or set FERRETDB_BACKEND=sqlite to keep using the old files',
    );
  }
}

/**
 * @param {{ sqliteDir: string, ferretdb: string, targetUri: string }} opts
 *   sqliteDir: the old folder; ferretdb: the launcher binary; targetUri: the new backend's FerretDB
 * @returns {Promise<{ movedTo: string, databases: string[], documents: number } | null>} null when
 *   another runner did the copy meanwhile
 */
export async function migrateSqliteData({ sqliteDir, ferretdb, targetUri }) {
  const lock = `${sqliteDir}.migrating.lock`;
  if (!takeLock(lock)) return await otherRunnerCopies(lock, sqliteDir);
  try {
    // Another runner may have copied it and let go of the lock between our look and our lock.
    if (!holdsSqliteData(sqliteDir)) return null;
    return await copyAll({ sqliteDir, ferretdb, targetUri });
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Resolves once no runner is copying `sqliteDir` (at once when none is). A runner that finds the
 * database already serving uses it, and the one that started it may still be copying the old
 * data into it: until that copy ends, the data would look missing.
 * @param {string} sqliteDir
 */
export async function migrationSettled(sqliteDir) {
  const lock = `${sqliteDir}.migrating.lock`;
  // The runner that started it takes the lock right after it answers: a moment to do so, longer
  // than it needs on a loaded machine (a FerretDB on the old files themselves never takes it).
  if (holdsSqliteData(sqliteDir) && !fs.existsSync(lock)) {
    await waitFor(async () => fs.existsSync(lock) || !holdsSqliteData(sqliteDir), 5_000);
  }
  if (!fs.existsSync(lock) || !holderAlive(lock)) return;
  say(`MongoDB: another runner is copying ${sqliteDir} into PostgreSQL; waiting for it…`);
  await otherRunnerCopies(lock, sqliteDir);
}

/**
 * One copy at a time: two runners started together (jest and npm start, say) each see the old folder.
 * @param {string} lock
 */
function takeLock(lock) {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
  }
  if (holderAlive(lock)) return false;
  fs.rmSync(lock, { force: true }); // its runner died mid-copy; the marker makes ours resume
  return takeLock(lock);
}

/**
 * Whether the runner named in `lock` still runs (a lock just created, its pid not yet written, is
 * taken as held).
 * @param {string} lock
 */
function holderAlive(lock) {
  let holder;
  try {
    holder = Number(fs.readFileSync(lock, 'utf8'));
  } catch {
    return false; // gone meanwhile
  }
  try {
    process.kill(holder, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {string} lock
 * @param {string} sqliteDir
 */
async function otherRunnerCopies(lock, sqliteDir) {
  await waitFor(async () => !fs.existsSync(lock), 30 * 60_000);
  if (holdsSqliteData(sqliteDir))
    throw new StackError(
      'MongoDB (FerretDB)',
      `another runner's copy of ${sqliteDir} did not finish`,
      'start again',
    );
  return null;
}

/**
 * @param {{ sqliteDir: string, ferretdb: string, targetUri: string }} opts
 * @returns {Promise<{ movedTo: string, databases: string[], documents: number }>}
 */
async function copyAll({ sqliteDir, ferretdb, targetUri }) {
  const { MongoClient } = await mongodbDriver();
  const port = await freePort();
  const url = new URL(`mongodb://127.0.0.1:${port}`);
  const old = startProcess('ferretdb-sqlite', ferretdb, ['-listen-addr', url.host, '-data-dir', sqliteDir], {
    output: 'file',
  });
  const source = new MongoClient(url.toString(), { directConnection: true });
  const target = new MongoClient(targetUri, { directConnection: true });
  /** @type {string[]} */
  let names = [];
  let documents = 0;
  try {
    const opened = await Promise.race([waitFor(() => probeTcp(url), 30_000), old.exited.then(() => false)]);
    if (!opened)
      throw new StackError(
        'MongoDB (FerretDB)',
        `the old SQLite data in ${sqliteDir} could not be opened`,
        'see .data/logs/ferretdb-sqlite.log',
      );
    const { databases } = await source.db('admin').admin().listDatabases({ nameOnly: true });
    names = databases.map((d) => d.name).filter((n) => !SKIPPED.test(n));
    if (!fs.existsSync(path.join(sqliteDir, MARKER))) await refuseToMerge(target, source, names, sqliteDir);
    fs.writeFileSync(path.join(sqliteDir, MARKER), `${new Date().toISOString()}\n`);
    for (const name of names) documents += await copyDatabase(source.db(name), target.db(name));
  } finally {
    await Promise.all([source.close(), target.close()]);
    await old.stop();
  }
  fs.rmSync(path.join(sqliteDir, MARKER));
  const movedTo = path.join(path.dirname(sqliteDir), `ferretdb-sqlite.migrated-${stamp()}`);
  fs.renameSync(sqliteDir, movedTo);
  return { movedTo, databases: names, documents };
}

/** 2026-12-01T14-05-09: sortable, and a second run the same day gets a folder of its own. */
const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(':', '-');

/**
 * A first migration never writes into collections that already hold documents: both sides
 * would be someone's data, and the user decides.
 * @param {import('mongodb').MongoClient} target
 * @param {import('mongodb').MongoClient} source
 * @param {string[]} names
 * @param {string} sqliteDir
 */
async function refuseToMerge(target, source, names, sqliteDir) {
  for (const name of names) {
    for (const { name: coll } of await source.db(name).listCollections({}, { nameOnly: true }).toArray()) {
      if ((await target.db(name).collection(coll).estimatedDocumentCount()) === 0) continue;
      throw new StackError(
        'MongoDB (FerretDB)',
        `${sqliteDir} holds data from the old SQLite layout, and ${name}.${coll} already has documents on PostgreSQL, so nothing was copied`,
        `keep the PostgreSQL data by moving ${sqliteDir} aside, or drop ${name} there and start again to copy it; FERRETDB_BACKEND=sqlite runs on the old files meanwhile`,
      );
    }
  }
}

/**
 * @param {import('mongodb').Db} from
 * @param {import('mongodb').Db} to
 */
async function copyDatabase(from, to) {
  let copied = 0;
  for (const info of await from.listCollections({}, { nameOnly: false }).toArray()) {
    if (info.type && info.type !== 'collection') continue;
    const source = from.collection(info.name);
    const existing = await to.listCollections({ name: info.name }, { nameOnly: true }).toArray();
    if (existing.length === 0) await to.createCollection(info.name, pickCollectionOptions(info));
    const target = to.collection(info.name);
    const indexes = (await source.listIndexes().toArray()).filter((ix) => ix.name !== '_id_');
    if (indexes.length)
      await target.createIndexes(
        // Every option as the source declared it (unique, sparse…); v and ns belong to the server.
        indexes.map(({ v, ns, ...spec }) => /** @type {import('mongodb').IndexDescription} */ (spec)),
      );
    /** @type {import('mongodb').Document[]} */
    const batch = [];
    for await (const doc of source.find({}, { batchSize: 1000 })) {
      batch.push(doc);
      if (batch.length === 1000) copied += await insertNew(target, batch.splice(0));
    }
    copied += await insertNew(target, batch);
    const [had, has] = await Promise.all([source.countDocuments(), target.countDocuments()]);
    if (has < had)
      throw new StackError(
        'MongoDB (FerretDB)',
        `copying ${from.databaseName}.${info.name} kept ${has} of ${had} documents`,
        'start again to resume the copy; the old folder is untouched',
      );
  }
  return copied;
}

/**
 * @param {import('mongodb').CollectionInfo} info
 * @returns {import('mongodb').CreateCollectionOptions}
 */
function pickCollectionOptions(info) {
  const { capped, size, max } = info.options ?? {};
  return capped ? { capped, size, max } : {};
}

/**
 * Inserts, skipping documents a resumed copy already wrote (duplicate `_id`).
 * @param {import('mongodb').Collection} target
 * @param {import('mongodb').Document[]} docs
 */
async function insertNew(target, docs) {
  if (docs.length === 0) return 0;
  try {
    return (await target.insertMany(docs, { ordered: false })).insertedCount;
  } catch (err) {
    const e =
      /** @type {{ code?: number, writeErrors?: Array<{ code?: number }> | { code?: number }, insertedCount?: number }} */ (
        err
      );
    const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
    if (writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000)) return e.insertedCount ?? 0;
    throw err;
  }
}
