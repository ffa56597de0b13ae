import { RetryPolicy } from './RetryPolicy';

const options = { retries: 4, baseDelayMs: 100, maxDelayMs: 300 };

test('waits double each time, jittered between half and all of it, up to the maximum', () => {
  const low = new RetryPolicy(options, () => 0);
  const high = new RetryPolicy(options, () => 1);
  expect([1, 2, 3, 4].map((n) => low.delayBefore(n, undefined))).toEqual([50, 100, 150, 150]);
  expect([1, 2, 3, 4].map((n) => high.delayBefore(n, undefined))).toEqual([100, 200, 300, 300]);
  expect(high.delayBefore(5, undefined)).toBeUndefined();
});

test('makes no retry that could not finish before the deadline, and none when off', () => {
  const policy = new RetryPolicy(options, () => 1);
  expect(policy.delayBefore(1, 1_000 + 250, 1_000)).toBe(100);
  expect(policy.delayBefore(1, 1_000 + 150, 1_000)).toBeUndefined();
  const off = new RetryPolicy({ ...options, retries: 0 });
  expect(off.enabled).toBe(false);
  expect(off.delayBefore(1, undefined)).toBeUndefined();
});
