import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiter, rateLimitHeaders } from './RateLimiter';

// The token buckets on the real Redis: what a caller may spend, and what replicas sharing Redis agree on.

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
const prefix = `test:ratelimiter:${randomBytes(4).toString('hex')}:`;
// Users' buckets refill so slowly that a loaded machine's pauses change no figure; API keys' fast.
const limits = {
  apiKey: { points: 10, perSecond: 10 },
  user: { points: 10, perSecond: 0.01 },
  anonymous: { points: 0, perSecond: 1 },
};
const limiter = new RateLimiter(redis, prefix, limits);
beforeAll(() => redis.connect());
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const user = (id: string) => ({ userId: id, via: 'session' as const });

it('spends a cost from a full bucket and says what is left and when it is full again', async () => {
  const state = await limiter.spend({ kind: 'user', id: 'full' }, 4);
  expect(state).toMatchObject({ allowed: true, limit: 10, remaining: 6, retryAfterSeconds: 0 });
  expect(state.resetSeconds).toBe(400);
  expect(rateLimitHeaders(state)).toEqual([
    ['ratelimit-limit', '10'],
    ['ratelimit-remaining', '6'],
    ['ratelimit-reset', '400'],
  ]);
});

it('refuses a cost that does not fit, takes nothing, and says when to retry', async () => {
  const key = { kind: 'user' as const, id: 'short' };
  await limiter.spend(key, 8);
  const refused = await limiter.spend(key, 5);
  expect(refused).toMatchObject({ allowed: false, remaining: 2, retryAfterSeconds: 300 });
  expect(rateLimitHeaders(refused)).toContainEqual(['retry-after', '300']);
  expect((await limiter.spend(key, 2)).allowed).toBe(true);
});

it('refills with time', async () => {
  const key = { kind: 'apiKey' as const, id: 'refill' };
  await limiter.spend(key, 10);
  expect((await limiter.spend(key, 5)).allowed).toBe(false);
  await new Promise((r) => setTimeout(r, 600));
  expect((await limiter.spend(key, 5)).allowed).toBe(true);
});

it('lets exactly the capacity through when many spend at once (one atomic script)', async () => {
  // Two limiters on one Redis, as two gateway replicas.
  const other = new RateLimiter(redis, prefix, limits);
  const key = { kind: 'user' as const, id: 'burst' };
  const states = await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? limiter : other).spend(key, 1)),
  );
  expect(states.filter((s) => s.allowed)).toHaveLength(10);
});

it('counts an API key, else the user, else the address; a kind with 0 points is not limited', () => {
  expect(limiter.keyOf({ ...user('u1'), via: 'apiKey', apiKeyId: 'k1' }, '10.0.0.1')).toEqual({
    kind: 'apiKey',
    id: 'k1',
  });
  expect(limiter.keyOf(user('u1'), '10.0.0.1')).toEqual({ kind: 'user', id: 'u1' });
  expect(limiter.keyOf(null, '10.0.0.1')).toBeUndefined();
});
