import http from 'node:http';

export interface Reply<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * A lean GraphQL POST over node:http with keep-alive sockets, for the measured requests: global
 * fetch spends about 0.2 ms of CPU per request building web streams, which in a burst of 200 shows
 * up as the client's own queueing in every latency.
 */
export function createHttpClient(url: string) {
  const agent = new http.Agent({ keepAlive: true });
  return {
    post<T>(query: string, variables: Record<string, unknown>, cookie: string): Promise<Reply<T>> {
      const body = JSON.stringify({ query, variables });
      return new Promise((resolve, reject) => {
        const req = http.request(url, {
          agent,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply<T>);
            } catch (err) {
              reject(err);
            }
          });
        });
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
