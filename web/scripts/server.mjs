// @ts-check
// The web server: Next's request handler, plus a same-origin /graphql that forwards HTTP and
// WebSocket upgrades to the gateway. A custom server instead of a next.config rewrite because
// rewrites are frozen at build time and cannot carry WebSocket upgrades to a runtime GATEWAY_URL;
// same-origin matters because the session cookie is httpOnly and SameSite=Lax.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 3000);
const gateway = new URL(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql');
const GRAPHQL_PATH = '/graphql';

/** Hop-by-hop headers are the proxy's own business, never forwarded. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'proxy-connection']);

/** @param {http.IncomingMessage} req */
function forwardedHeaders(req) {
  /** @type {http.OutgoingHttpHeaders} */
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
  headers.host = gateway.host;
  headers['x-forwarded-for'] = forwardedFor(req);
  return headers;
}

/**
 * X-Forwarded-For with the peer this server sees appended. The gateway believes the entries added
 * by proxies it trusts (TRUST_PROXY: loopback and private ranges by default), so its rate limits
 * and sign-in throttle see the visitor, not this server.
 * @param {http.IncomingMessage} req
 */
function forwardedFor(req) {
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  return prior ? `${prior}, ${client}` : client;
}

/** @param {string | undefined} url */
const isGraphql = (url) => (url ?? '').split('?')[0] === GRAPHQL_PATH;

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function proxyHttp(req, res) {
  const search = (req.url ?? '').slice(GRAPHQL_PATH.length);
  const upstream = http.request(
    {
      hostname: gateway.hostname,
      port: gateway.port || 80,
      path: gateway.pathname + search,
      method: req.method,
      headers: forwardedHeaders(req),
    },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ message: 'The API is unreachable', extensions: { code: 'BAD_GATEWAY' } }],
      }),
    );
  });
  req.pipe(upstream);
}

/**
 * Replays the upgrade request to the gateway over a raw socket, then splices the two sockets.
 * @param {http.IncomingMessage} req
 * @param {import('node:stream').Duplex} socket
 * @param {Buffer} head
 */
function proxyUpgrade(req, socket, head) {
  const upstream = net.connect(Number(gateway.port || 80), gateway.hostname, () => {
    const headers = {
      ...forwardedHeaders(req),
      connection: 'Upgrade',
      upgrade: req.headers.upgrade ?? 'websocket',
    };
    const lines = [`GET ${gateway.pathname} HTTP/1.1`];
    for (const [k, v] of Object.entries(headers)) {
      for (const value of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${value}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  upstream.on('close', close);
  socket.on('close', close);
}

// Next's standalone output (the image, Dockerfile.web) has no next.config to load: pass the config
// `next build` resolved, as the server.js that Next generates for standalone does.
if (!fs.existsSync(path.join(dir, 'next.config.ts'))) {
  const built = JSON.parse(fs.readFileSync(path.join(dir, '.next', 'required-server-files.json'), 'utf8'));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(built.config);
}
const app = next({ dev: false, dir, port, hostname: '0.0.0.0' });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

const server = http.createServer((req, res) => {
  if (isGraphql(req.url)) return proxyHttp(req, res);
  // Server-rendered pages query the gateway too (serverClient.ts passes this header on).
  req.headers['x-forwarded-for'] = forwardedFor(req);
  handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (isGraphql(req.url)) proxyUpgrade(req, socket, head);
  else upgrade(req, socket, head);
});
server.listen(port, '0.0.0.0', () => {
  process.stdout.write(`web listening on http://localhost:${port} (API: ${gateway.href})\n`);
});

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
