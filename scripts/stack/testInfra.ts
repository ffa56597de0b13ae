import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@ticketing/kit/testing';

// The runner's tests meet it as a user does: `npm run infra` with settings of their own, on free ports.
const CLI = path.join(__dirname, 'cli.mjs');

export { freePort };

/**
 * `npm run infra` (MongoDB on a free port unless env says) until `use` is done, then Ctrl-C; resolves with what it
 * printed and its exit code. `use` is skipped when the runner exits before it is ready.
 */
export async function infra(
  env: NodeJS.ProcessEnv,
  use: (mongoUri: string) => Promise<void> = async () => {},
) {
  const mongoUri = env.MONGO_URI ?? `mongodb://127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [CLI, 'infra'], {
    env: { ...process.env, ...env, MONGO_URI: mongoUri },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone && !output.includes('infrastructure ready')) await new Promise((r) => setTimeout(r, 100));
  if (!gone) {
    try {
      await use(mongoUri);
    } finally {
      child.kill('SIGINT');
    }
  }
  const code = await exited;
  return { output, code };
}

/** One statement on a database of the machine's PostgreSQL, rows as lines. */
export function psqlOn(url: string, sql: string): string {
  const run = spawnSync('psql', ['-X', '-qtA', '-d', url, '-c', sql], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
  return run.stdout.trim();
}

/** One statement on the machine's PostgreSQL (loopback, user postgres), rows as lines. */
export const psql = (sql: string) => psqlOn('postgres://127.0.0.1:5432/postgres?user=postgres', sql);

export const dropDatabase = (name: string) => psql(`drop database if exists "${name}" with (force)`);
