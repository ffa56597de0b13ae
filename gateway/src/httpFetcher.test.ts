import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpFetcher } from './httpFetcher';

// How the gateway reaches subgraphs: what RemoteGraphQLDataSource reads off a response.

let server: http.Server;
let base: string;
const fetcher = createHttpFetcher({ timeoutMs: 200 });
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/stuck') return; // never answers
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-session-token', 'abc');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end(JSON.stringify({ echo: JSON.parse(body || 'null'), method: req.method }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fetcher.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('posts the body and reads status, headers (any case, repeats joined) and JSON', async () => {
  const res = await fetcher(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect([res.status, res.ok]).toEqual([200, true]);
  expect(res.headers.get('X-Session-Token')).toBe('abc');
  expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
  expect(res.headers.get('absent')).toBeNull();
  expect(await res.clone().json()).toEqual({ echo: { query: '{ __typename }' }, method: 'POST' });
  expect(await res.text()).toContain('__typename');
});

test('an error status is a response, not a throw; a stuck subgraph fails after the timeout', async () => {
  const missing = await fetcher(`${base}/missing`, { method: 'POST', body: '{}' });
  expect([missing.status, missing.ok]).toEqual([404, false]);
  await expect(fetcher(`${base}/stuck`, { method: 'POST', body: '{}' })).rejects.toThrow(/within 200 ms/);
});

test('an aborted signal cancels the request', async () => {
  const controller = new AbortController();
  const pending = fetcher(`${base}/stuck`, { method: 'POST', body: '{}', signal: controller.signal });
  controller.abort(new Error('caller gave up'));
  await expect(pending).rejects.toThrow('caller gave up');
});

describe('warm', () => {
  /** A server counting the connections it accepted and the requests on them. */
  async function countingServer() {
    const counted = http.createServer((_req, res) => res.end('ok'));
    counted.keepAliveTimeout = 65_000;
    const seen = { connections: 0, requests: 0 };
    counted.on('connection', () => seen.connections++);
    counted.on('request', () => seen.requests++);
    await new Promise<void>((resolve) => counted.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(counted.address() as AddressInfo).port}`;
    const close = async () => {
      counted.closeAllConnections();
      await new Promise((resolve) => counted.close(resolve));
    };
    return { url, seen, close, closeIdle: () => counted.closeIdleConnections() };
  }

  test('opens the sockets once (nothing sent while they are open), and a rush finds them open', async () => {
    const subgraph = await countingServer();
    const pool = createHttpFetcher();
    try {
      expect(await pool.warm(`${subgraph.url}/healthz`, 20)).toBe(20);
      expect(await pool.warm(`${subgraph.url}/healthz`, 20)).toBe(20);
      expect(subgraph.seen).toEqual({ connections: 20, requests: 20 });
      await Promise.all(
        Array.from({ length: 20 }, () => pool(`${subgraph.url}/graphql`).then((r) => r.text())),
      );
      expect(subgraph.seen.connections).toBe(20);
    } finally {
      pool.close();
      await subgraph.close();
    }
  });

  test('opens again what the subgraph closed, and closes its own idle sockets', async () => {
    const subgraph = await countingServer();
    const pool = createHttpFetcher({ idleTimeoutMs: 300 });
    try {
      await pool.warm(`${subgraph.url}/healthz`, 5);
      subgraph.closeIdle();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await pool.warm(`${subgraph.url}/healthz`, 5)).toBe(5);
      expect(subgraph.seen.connections).toBe(10);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await pool.warm(`${subgraph.url}/healthz`, 0)).toBe(0);
    } finally {
      pool.close();
      await subgraph.close();
    }
  });

  test('never opens more than maxSockets; a subgraph down leaves none open', async () => {
    const subgraph = await countingServer();
    const pool = createHttpFetcher({ maxSockets: 3 });
    try {
      expect(await pool.warm(`${subgraph.url}/healthz`, 10)).toBe(3);
      expect(subgraph.seen.connections).toBe(3);
      expect(await pool.warm('http://127.0.0.1:1/healthz', 10)).toBe(0);
    } finally {
      pool.close();
      await subgraph.close();
    }
  });
});
