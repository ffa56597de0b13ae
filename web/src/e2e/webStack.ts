import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startTestStack, type TestStack, type TestStackOptions } from '@ticketing/e2e';

export const WEB_DIR = path.resolve(__dirname, '../..');
const ROOT = path.resolve(WEB_DIR, '..');

export interface WebStack {
  api: TestStack;
  /** The web app's origin, e.g. http://127.0.0.1:41234 */
  webUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Waits (bounded) until `url` answers at all, or the process dies. */
async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web exited with code ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`web did not answer at ${url} within ${timeoutMs} ms`);
}

/** Builds the Next app if its build is stale (once per test run: later calls find it fresh). */
export function ensureWebBuild(): void {
  execFileSync(process.execPath, [path.join(WEB_DIR, 'scripts/build.mjs')], {
    stdio: 'inherit',
    cwd: WEB_DIR,
  });
}

/** Debian's chromium through the project's own installer (scripts/stack/chromium.mjs). */
export function ensureChromiumPath(): string {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts/stack/chromium.mjs')], {
    encoding: 'utf8',
  });
  const found = out.trim().split('\n').pop();
  if (!found) throw new Error('chromium not found');
  return found;
}

/**
 * The API stack of @ticketing/e2e (startTestStack, wrapped, not changed), plus the web app's own
 * start script (scripts/start.mjs) pointed at that gateway on a free port.
 */
export async function startWebStack(
  label: string,
  env: NodeJS.ProcessEnv = {},
  options: TestStackOptions = {},
): Promise<WebStack> {
  const port = await freePort();
  const webUrl = `http://127.0.0.1:${port}`;
  const api = await startTestStack(
    label,
    { CORS_ORIGINS: `${webUrl},http://localhost:${port}`, ...env },
    options,
  );
  const child = spawn(process.execPath, [path.join(WEB_DIR, 'scripts/start.mjs')], {
    cwd: WEB_DIR,
    env: { ...process.env, PORT: String(port), GATEWAY_URL: api.gateway.url, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    await api.stop();
  };
  try {
    await waitForHttp(webUrl, child, 180_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { api, webUrl, stop };
}
