// @ts-check
// How the runner starts FerretDB when no MongoDB answers: on PostgreSQL when one answers or can be
// started (equality filters then use indexes), else on SQLite files in .data/ferretdb, saying so.
//
//   FERRETDB_BACKEND       postgresql (default) or sqlite
//   FERRETDB_POSTGRES_URL  where FerretDB keeps its data; default postgres://127.0.0.1:5432/ferretdb?user=postgres
//                          (ferretdb_<hash> for another TICKETING_DATA_DIR); the database is created if missing
import fs from 'node:fs';
import path from 'node:path';
import { StackError, say } from './log.mjs';
import { holdsSqliteData, migrateSqliteData } from './migrateSqlite.mjs';
import { DATA_DIR } from './paths.mjs';
import { databaseOf, defaultPostgresUrl, dropOrphanDatabases, ensurePostgresDatabase } from './postgres.mjs';
import { ensureFerretDB } from './tools.mjs';

const SLOWER =
  'slower: only {_id: value} filters use an index there, every other query reads the whole collection';

/**
 * @param {URL} listen  where FerretDB serves the MongoDB wire protocol
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ command: string, args: string[], afterStart?: () => Promise<void> }>}
 */
export async function launchFerretDB(listen, env) {
  const command = ensureFerretDB();
  const listenArgs = ['-listen-addr', `${listen.hostname}:${listen.port}`];
  const sqliteDir = path.join(DATA_DIR, 'ferretdb');
  const sqlite = () => {
    fs.mkdirSync(sqliteDir, { recursive: true });
    return { command, args: [...listenArgs, '-handler', 'sqlite', '-data-dir', sqliteDir] };
  };

  const backend = env.FERRETDB_BACKEND || 'postgresql';
  if (backend === 'sqlite') {
    say(`MongoDB: FerretDB on SQLite in ${sqliteDir} (FERRETDB_BACKEND=sqlite; ${SLOWER})`);
    return sqlite();
  }
  if (backend !== 'postgresql')
    throw new StackError(
      'MongoDB (FerretDB)',
      `FERRETDB_BACKEND is "${backend}"`,
      'set it to postgresql or sqlite',
    );

  const explicit = Boolean(env.FERRETDB_POSTGRES_URL || env.FERRETDB_BACKEND);
  const pgUrl = env.FERRETDB_POSTGRES_URL || defaultPostgresUrl();
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(pgUrl).hostname);
  // A database named after the data folder is that folder's: it goes when the folder goes.
  const owner =
    env.FERRETDB_POSTGRES_URL || databaseOf(pgUrl) === 'ferretdb' ? undefined : path.resolve(DATA_DIR);
  const problem = await ensurePostgresDatabase(pgUrl, {
    mayStart: !env.FERRETDB_POSTGRES_URL && loopback,
    owner,
  });
  if (problem) {
    const fix = 'start PostgreSQL (apt-get install postgresql) or set FERRETDB_POSTGRES_URL to one';
    if (explicit) throw new StackError('MongoDB (FerretDB on PostgreSQL)', problem, fix);
    say(
      `MongoDB: no PostgreSQL to use (${problem}); FerretDB runs on SQLite in ${sqliteDir} instead, ${SLOWER}. To fix: ${fix}`,
    );
    return sqlite();
  }

  if (!env.FERRETDB_POSTGRES_URL) dropOrphanDatabases(pgUrl);
  const where = `database ${databaseOf(pgUrl)} at ${new URL(pgUrl).host}`;
  const durability = env.FERRETDB_POSTGRES_URL
    ? ''
    : '; writes acknowledged before the disk flush, as a standalone MongoDB does';
  say(`MongoDB: FerretDB on PostgreSQL (${where}; FERRETDB_POSTGRES_URL${durability})`);
  const args = [
    ...listenArgs,
    '-handler',
    'postgresql',
    '-postgresql-url',
    connectionUrl(pgUrl, !env.FERRETDB_POSTGRES_URL),
  ];
  if (!holdsSqliteData(sqliteDir)) {
    // An empty folder left by the old layout says nothing; drop it so it cannot mislead.
    if (fs.existsSync(sqliteDir) && fs.readdirSync(sqliteDir).length === 0) fs.rmdirSync(sqliteDir);
    return { command, args };
  }
  const afterStart = async () => {
    say(`MongoDB: ${sqliteDir} holds data of the old SQLite layout; copying it into PostgreSQL (${where})…`);
    const moved = await migrateSqliteData({ sqliteDir, ferretdb: command, targetUri: listen.toString() });
    if (!moved) return say('MongoDB: another runner copied it meanwhile');
    const what = moved.databases.join(', ') || 'nothing (only test databases)';
    say(`MongoDB: copied ${what} (${moved.documents} documents); the old files are kept in ${moved.movedTo}`);
  };
  return { command, args, afterStart };
}

/**
 * FerretDB's connection to PostgreSQL. Its pool is capped (pgxpool's `pool_max_conns`; FerretDB
 * opens up to 50, and two FerretDBs of 50 exhaust PostgreSQL's default 100, as the runner's tests
 * and benches run private ones beside `npm start`'s; 20 keep two cores busy). The embedded
 * default's sessions commit without waiting for the WAL flush (`synchronous_commit=off`): a
 * write is acknowledged once in memory and on disk within 0.6 s, as a standalone MongoDB
 * acknowledges before its journal's next flush (every 100 ms); a crash of the machine can lose
 * that last fraction of a second, never consistency. It spares about 5 ms of every write here
 * (a sequential insertOne 12 -> 7 ms). A FERRETDB_POSTGRES_URL is used as given.
 *
 * @param {string} pgUrl
 * @param {boolean} embedded
 */
export function connectionUrl(pgUrl, embedded) {
  if (!embedded) return pgUrl;
  const url = new URL(pgUrl);
  if (!url.searchParams.has('pool_max_conns')) url.searchParams.set('pool_max_conns', '20');
  if (!url.searchParams.has('synchronous_commit')) url.searchParams.set('synchronous_commit', 'off');
  return url.toString();
}
