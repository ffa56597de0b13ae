import http from 'node:http';

export interface LoadSpec {
  url: string;
  /** The request body (a GraphQL request as JSON). */
  body: string;
  headers?: Record<string, string>;
  /** Keep-alive connections, each sending its next request as soon as the last is answered. */
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  /** Answers that were not HTTP 200 or that carried GraphQL errors, and failed requests. */
  errors: number;
  /** Latency of every answered request, in ms. */
  latencies: number[];
  elapsedMs: number;
}

/**
 * A closed-loop load generator on node:http keep-alive sockets, as autocannon runs it: each
 * connection sends its next request when the last is answered. Run in a process of its own, so
 * its work is not counted as the gateway's.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = Buffer.from(spec.body);
  const headers = { 'content-type': 'application/json', 'content-length': body.length, ...spec.headers };
  const result: LoadResult = { requests: 0, errors: 0, latencies: [], elapsedMs: 0 };
  const start = performance.now();
  const end = start + spec.seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = http.request(spec.url, { agent, method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          result.latencies.push(performance.now() - sent);
          result.requests++;
          // An answer with errors is not the work being measured (a cheaper failure).
          if (res.statusCode !== 200 || Buffer.concat(chunks).includes('"errors"')) result.errors++;
          resolve();
        });
      });
      req.on('error', () => {
        result.errors++;
        resolve();
      });
      req.end(body);
    });
  const connection = async () => {
    while (performance.now() < end) await once();
  };
  await Promise.all(Array.from({ length: spec.connections }, connection));
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  return result;
}
