// @ts-check
// The PostgreSQL that FerretDB's postgresql handler stores its data in. FerretDB on PostgreSQL
// pushes equality filters on scalar fields down to SQL indexes; on SQLite only `{_id: value}` is
// (findById 3.9 ms vs 20 ms, a conditional update 25 ms vs 393 ms at 10,000 documents), so it is
// the embedded default wherever a PostgreSQL answers or can be started, and SQLite the fallback.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError, say } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { waitFor } from './probes.mjs';
import { ensureDebianBinary, onPath } from './tools.mjs';

/**
 * One PostgreSQL database per data folder: two FerretDB processes must never share one (each
 * caches the catalogue), and a private stack (TICKETING_DATA_DIR, as the runner's tests use)
 * must not see the data of `npm start`.
 */
export function defaultPostgresUrl(dataDir = DATA_DIR) {
  const name =
    path.resolve(dataDir) === path.join(ROOT, '.data')
      ? 'ferretdb'
      : `ferretdb_${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 10)}`;
  return `postgres://127.0.0.1:5432/${name}?user=postgres`;
}

/** @param {string} url */
export function databaseOf(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The same server's maintenance database, where CREATE/DROP DATABASE run. */
/** @param {string} url */
function maintenanceUrl(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** @param {string} name */
const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;
/** @param {string} text */
const quoteLiteral = (text) => `'${text.replaceAll("'", "''")}'`;

/**
 * One statement through psql (no npm client needed before `npm install`).
 * @param {string} url
 * @param {string} sql
 * @returns {{ ok: boolean, out: string, error: string }}
 */
export function psql(url, sql) {
  const run = spawnSync('psql', ['-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '3' },
    timeout: 15_000,
  });
  const error = (run.stderr || run.error?.message || '').trim().split('\n')[0] ?? '';
  return { ok: run.status === 0, out: (run.stdout ?? '').trim(), error };
}

/** @param {string} url */
const answers = (url) => psql(maintenanceUrl(url), 'select 1').ok;

/**
 * On a loopback default: install Debian's postgresql when we may, and start (or create) the
 * cluster for the URL's port with pg_ctlcluster. A cluster started here is a system service and
 * is left running, like one started by the init system.
 * @param {URL} url
 */
async function startLocalCluster(url) {
  if (!onPath('psql') || !onPath('pg_ctlcluster'))
    ensureDebianBinary('PostgreSQL', 'pg_ctlcluster', 'postgresql');
  const port = url.port || '5432';
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4);
  const mine = clusters.find((fields) => fields[2] === port);
  if (mine?.[3] === 'online') return; // it runs but refused us: nothing to start
  if (mine) {
    const [version = '', name = ''] = mine;
    say(`PostgreSQL: starting cluster ${version}/${name} on port ${port} (pg_ctlcluster; left running)…`);
    spawnSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'inherit' });
  } else {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const version = versions[0];
    if (!version) return;
    say(
      `PostgreSQL: creating cluster ${version}/ticketing on port ${port} (pg_createcluster; left running)…`,
    );
    spawnSync('pg_createcluster', [version, 'ticketing', '--port', port, '--start'], { stdio: 'inherit' });
  }
  await waitFor(async () => answers(url.toString()), 20_000);
}

/**
 * Makes sure the URL's database exists (creating it when missing). Returns null when FerretDB can
 * use it, otherwise why not.
 * @param {string} url
 * @param {{ mayStart: boolean, owner?: string }} opts  mayStart: start or install a local PostgreSQL
 *   when none answers; owner: the data folder a database created here belongs to
 * @returns {Promise<string | null>}
 */
export async function ensurePostgresDatabase(url, { mayStart, owner }) {
  const parsed = new URL(url);
  const mayInstall = mayStart && process.getuid?.() === 0 && onPath('apt-get') !== null;
  if (!onPath('psql') && !mayInstall) return 'psql (Debian package postgresql-client) is not installed';
  try {
    if (!answers(url) && mayStart) await startLocalCluster(parsed);
  } catch (err) {
    if (!(err instanceof StackError)) throw err;
    return err.message;
  }
  const check = psql(maintenanceUrl(url), 'select 1');
  if (!check.ok) return `cannot connect to PostgreSQL at ${parsed.host} (${check.error})`;
  const name = databaseOf(url);
  const exists = () =>
    psql(maintenanceUrl(url), `select 1 from pg_database where datname = ${quoteLiteral(name)}`);
  if (exists().out !== '1') {
    const created = psql(maintenanceUrl(url), `create database ${quoteIdent(name)}`);
    // Another runner may have created it at the same moment.
    if (!created.ok && exists().out !== '1') return `could not create database ${name} (${created.error})`;
    if (created.ok) say(`PostgreSQL: created database ${name} at ${parsed.host}`);
    if (created.ok && owner)
      psql(maintenanceUrl(url), `comment on database ${quoteIdent(name)} is ${quoteLiteral(OWNED + owner)}`);
  }
  const indexed = indexEqualityFilters(url);
  if (!indexed.ok)
    say(
      `PostgreSQL: equality filters will scan whole tables in ${name} (${indexed.error}); needs a superuser`,
    );
  return null;
}

export const INDEX_SQL = fileURLToPath(new URL('./ferretdbIndexes.sql', import.meta.url));

/**
 * Makes FerretDB's equality filters use indexes in this database (see ferretdbIndexes.sql).
 * @param {string} url
 */
export function indexEqualityFilters(url) {
  const name = quoteIdent(databaseOf(url));
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', INDEX_SQL];
  args.push('-c', `alter database ${name} set plan_cache_mode = force_custom_plan`);
  const run = spawnSync('psql', args, {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '3', PGOPTIONS: '-c client_min_messages=warning' },
    timeout: 30_000,
  });
  return {
    ok: run.status === 0,
    error: (run.stderr || run.error?.message || '').trim().split('\n')[0] ?? '',
  };
}

/** Marks a database that belongs to a data folder and goes when the folder goes. */
const OWNED = 'ticketing data folder: ';

/**
 * Drops the databases of data folders that no longer exist (a private stack's temporary folder,
 * say), as deleting .data/ferretdb deleted the SQLite data. Only databases this runner created
 * for a folder, never one configured by hand.
 * @param {string} url  any database on the server
 */
export function dropOrphanDatabases(url) {
  const list = psql(
    maintenanceUrl(url),
    `select datname || '|' || shobj_description(oid, 'pg_database') from pg_database where shobj_description(oid, 'pg_database') like ${quoteLiteral(`${OWNED}%`)}`,
  );
  for (const line of list.ok ? list.out.split('\n') : []) {
    const [name = '', comment = ''] = line.split('|');
    const folder = comment.slice(OWNED.length);
    if (!name || !folder || fs.existsSync(folder)) continue;
    if (psql(maintenanceUrl(url), `drop database if exists ${quoteIdent(name)} with (force)`).ok)
      say(`PostgreSQL: dropped database ${name}, whose data folder ${folder} is gone`);
  }
}

/**
 * Drops a database (tests and benches that made their own).
 * @param {string} url
 */
export function dropPostgresDatabase(url) {
  return psql(maintenanceUrl(url), `drop database if exists ${quoteIdent(databaseOf(url))} with (force)`);
}
