import http from 'node:http';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

export interface HttpFetcherOptions {
  /** A request with no answer after this long fails (the subgraph is stuck). Default 30,000 ms. */
  timeoutMs?: number;
  /** Open sockets per subgraph; requests beyond wait for one. Default unlimited, as undici's pool. */
  maxSockets?: number;
  /**
   * An idle socket is closed after this long. Default 300,000 ms: under the subgraphs' keep-alive
   * timeout (startSubgraphServer), so the gateway is the side that closes an idle socket and never
   * sends on one the subgraph is closing.
   */
  idleTimeoutMs?: number;
}

export interface HttpFetcher extends Fetcher {
  /**
   * Opens keep-alive sockets to `url`'s origin until `sockets` are open there (idle or busy, at most
   * maxSockets), by GETs of `url` (a cheap path such as a health check) sent together, so that each
   * opens a socket of its own. Resolves with the sockets open after; none are opened for an origin
   * that refuses (the next call tries again).
   */
  warm(url: string, sockets: number): Promise<number>;
  close(): void;
}

/**
 * A Fetcher for subgraph calls on node:http with keep-alive sockets. Global fetch (undici) builds
 * web streams, tees the request body and clones the request on every call; under a rush of 200
 * requests that cost the gateway a fifth of its CPU. Subgraph answers are small JSON documents, so
 * the body is read whole. An idle socket is closed after idleTimeoutMs, or before the subgraph's
 * Keep-Alive timeout hint if that is shorter (Node's agent honours it).
 */
export function createHttpFetcher(options: HttpFetcherOptions = {}): HttpFetcher {
  const { timeoutMs = 30_000, maxSockets = Number.POSITIVE_INFINITY, idleTimeoutMs = 300_000 } = options;
  // `timeout` is the idle socket's; a request sets its own (timeoutMs) while it runs.
  const agent = new http.Agent({ keepAlive: true, maxSockets, timeout: idleTimeoutMs });
  const fetcher = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const body = init.body ?? '';
      const req = http.request(url, {
        agent,
        method: init.method ?? 'GET',
        headers: { ...init.headers, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      });
      req.on('timeout', () =>
        req.destroy(
          Object.assign(new Error(`no answer from ${url} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      );
      const signal = init.signal as AbortSignal | undefined;
      if (signal) {
        const abort = () => req.destroy(signal.reason as Error);
        if (signal.aborted) abort();
        signal.addEventListener('abort', abort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', abort));
      }
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve(
            new BufferedResponse(
              url,
              res.statusCode ?? 0,
              res.statusMessage ?? '',
              new ResponseHeaders(res.headers),
              Buffer.concat(chunks),
            ),
          ),
        );
      });
      req.end(body);
    });
  const socketsTo = (url: URL) => {
    const name = agent.getName({ host: url.hostname, port: Number(url.port) || 80 });
    // A refused socket stays listed until its 'close', after its request's 'error'.
    const open = (sockets: Array<{ destroyed: boolean }> = []) => sockets.filter((s) => !s.destroyed).length;
    return { busy: open(agent.sockets[name]), idle: open(agent.freeSockets[name]) };
  };
  const warm = async (url: string, sockets: number) => {
    const target = new URL(url);
    const { busy, idle } = socketsTo(target);
    const gets = Math.max(0, Math.min(sockets, maxSockets) - busy - idle);
    await Promise.allSettled(Array.from({ length: gets }, () => fetcher(url).then((res) => res.text())));
    const after = socketsTo(target);
    return after.busy + after.idle;
  };
  return Object.assign(fetcher, { warm, close: () => agent.destroy() });
}

/**
 * A subgraph's answer read whole. Every read makes new values (text() decodes, json() parses
 * afresh), so one answer can be handed to several callers (shared or cached public reads) without
 * one caller's changes to its result reaching another.
 */
export class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: FetcherHeaders,
    readonly body: Buffer,
  ) {}

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return new Uint8Array(this.body).buffer;
  }

  clone(): FetcherResponse {
    return Object.assign(Object.create(BufferedResponse.prototype) as BufferedResponse, this, {
      bodyUsed: false,
    });
  }
}

/** Response headers by lower-case name; repeated headers joined as fetch does. */
export class ResponseHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(raw: http.IncomingHttpHeaders = {}) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  append(name: string, value: string) {
    const key = name.toLowerCase();
    const current = this.map.get(key);
    this.map.set(key, current === undefined ? value : `${current}, ${value}`);
  }
  delete(name: string) {
    this.map.delete(name.toLowerCase());
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string) {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string) {
    this.map.set(name.toLowerCase(), value);
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}
