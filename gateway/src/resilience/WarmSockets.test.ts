import { WarmSockets } from './WarmSockets';

/** Records the warm calls; the sockets themselves are httpFetcher's (httpFetcher.test.ts). */
function recordingFetcher(fail = false) {
  const calls: Array<[string, number]> = [];
  return {
    calls,
    async warm(url: string, sockets: number) {
      calls.push([url, sockets]);
      if (fail) throw new Error('connect ECONNREFUSED');
      return sockets;
    },
  };
}

test('warms every subgraph at start and again each interval, until stopped (twice is fine)', async () => {
  const fetcher = recordingFetcher();
  const urls = ['http://orders/healthz', 'http://tickets/healthz'];
  const warm = new WarmSockets({ fetcher, urls: () => urls, sockets: 8, intervalMs: 50 }).start();
  await new Promise((resolve) => setTimeout(resolve, 130));
  await warm.stop();
  await warm.stop();
  const rounds = fetcher.calls.length / urls.length;
  expect(rounds).toBeGreaterThanOrEqual(2);
  expect(fetcher.calls.slice(0, 2)).toEqual([
    ['http://orders/healthz', 8],
    ['http://tickets/healthz', 8],
  ]);
  const after = fetcher.calls.length;
  await new Promise((resolve) => setTimeout(resolve, 80));
  expect(fetcher.calls.length).toBe(after);
});

test('a subgraph that cannot be reached is tried again on the next round, never thrown', async () => {
  const fetcher = recordingFetcher(true);
  const warm = new WarmSockets({ fetcher, urls: () => ['http://down/healthz'], sockets: 4 });
  await expect(warm.warmNow()).resolves.toBeUndefined();
  await expect(warm.warmNow()).resolves.toBeUndefined();
  expect(fetcher.calls).toHaveLength(2);
});

test('0 sockets: nothing is warmed', async () => {
  const fetcher = recordingFetcher();
  const warm = new WarmSockets({ fetcher, urls: () => ['http://orders/healthz'], sockets: 0 }).start();
  await warm.stop();
  expect(fetcher.calls).toHaveLength(0);
});
