import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SUPERGRAPH_FILE } from '@ticketing/gateway';
import { IDENTITY_HEADER } from '@ticketing/kit/auth';

export interface HiveGateway {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The committed supergraph with each subgraph's routing URL replaced by the given one (the test
 * stack's subgraphs listen on free ports).
 */
export function rewriteRoutingUrls(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = urls[name];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}

/**
 * Hive Gateway (`hive-gateway supergraph`, its defaults) in a child process, serving the committed
 * supergraph against the given subgraphs; resolves once it answers `{ __typename }`. Subgraphs
 * answer only the gateway, so Hive sends `identityToken` (an anonymous identity signed with the
 * internal key, made once by the caller) on every subgraph request: its config file, in a folder
 * of its own, does only that.
 */
export async function startHiveGateway(
  subgraphUrls: Record<string, string>,
  identityToken: string,
): Promise<HiveGateway> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hive-'));
  const supergraph = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraph, rewriteRoutingUrls(readFileSync(SUPERGRAPH_FILE, 'utf8'), subgraphUrls));
  const config = path.join(dir, 'gateway.mjs');
  writeFileSync(
    config,
    `export const gatewayConfig = {\n  propagateHeaders: { fromClientToSubgraphs: () => (${JSON.stringify({
      [IDENTITY_HEADER]: identityToken,
    })}) },\n};\n`,
  );
  const bin = path.join(path.dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist/bin.js');
  const port = await freePort();
  // cwd is the temporary folder: its gateway.mjs is Hive's config (nothing of ours is picked up).
  const child = spawn(
    process.execPath,
    [
      bin,
      'supergraph',
      supergraph,
      ...['--config-path', config, '--host', '127.0.0.1', '--port', String(port), '--disable-websockets'],
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hive-gateway exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('hive-gateway did not answer within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, process: child, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
