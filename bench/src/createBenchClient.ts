import { createHttpFetcher } from '@ticketing/gateway';

export interface BenchReply<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * GraphQL over the gateway's own keep-alive node:http fetcher, for measured requests: global fetch
 * spends about 0.2 ms of CPU per request on web streams, which a burst of 200 turns into the
 * client's own queueing (see purchase.ts).
 */
export function createBenchClient(url: string) {
  const fetcher = createHttpFetcher();
  return {
    async request<T>(query: string, variables: Record<string, unknown>, cookie?: string) {
      const res = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as BenchReply<T>;
    },
    /** As request, but a reply with errors or without data throws: a failure is never a sample. */
    async expect<T>(query: string, variables: Record<string, unknown>, cookie?: string): Promise<T> {
      const reply = await this.request<T>(query, variables, cookie);
      if (reply.errors?.length || !reply.data) {
        throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(reply.errors ?? 'no data')}`);
      }
      return reply.data;
    },
    close: () => fetcher.close(),
  };
}

export type BenchClient = ReturnType<typeof createBenchClient>;
