import { createHash } from 'node:crypto';
import type { Identity } from '@ticketing/kit/auth';
import type { Redis } from 'ioredis';

/** One kind of caller's bucket: `points` of capacity, refilled at `perSecond`; 0 points: no limit. */
export interface BucketSettings {
  points: number;
  perSecond: number;
}

export interface RateLimits {
  apiKey: BucketSettings;
  user: BucketSettings;
  anonymous: BucketSettings;
}

/** What a spend left: sent to the client as RateLimit-* headers (and Retry-After when refused). */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until this cost would fit; 0 when allowed. */
  retryAfterSeconds: number;
}

/** The caller a request is counted against. */
export interface RateLimitKey {
  kind: keyof RateLimits;
  id: string;
}

/**
 * A token bucket per key, in one Lua script: read, refill by the time elapsed (Redis's clock, so
 * replicas agree), spend if the cost fits, store and expire once full again, all atomically.
 * Tokens are kept as a float; a refused spend takes nothing.
 */
const SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1])
local at = tonumber(saved[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return { allowed, tostring(tokens) }
`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

/**
 * Rate limits shared by every gateway replica: each operation spends its cost from its caller's
 * bucket (the API key, else the signed-in user, else the client's address). When Redis cannot
 * answer the request goes on (logged by the caller): the limit protects the service, an outage of
 * Redis should not take it down.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: RateLimits,
  ) {}

  /** Whose bucket a request spends from; undefined when that kind is not limited. */
  keyOf(identity: Identity | null, clientAddress: string | undefined): RateLimitKey | undefined {
    const key: RateLimitKey = identity?.apiKeyId
      ? { kind: 'apiKey', id: identity.apiKeyId }
      : identity
        ? { kind: 'user', id: identity.userId }
        : { kind: 'anonymous', id: clientAddress ?? 'unknown' };
    return this.limits[key.kind].points > 0 ? key : undefined;
  }

  async spend(key: RateLimitKey, cost: number): Promise<RateLimitState> {
    const { points, perSecond } = this.limits[key.kind];
    const redisKey = `${this.prefix}ratelimit:${key.kind}:${key.id}`;
    const spent = Math.max(0, Math.ceil(cost));
    const args = [points, perSecond, spent];
    const reply = (await this.redis.evalsha(SHA, 1, redisKey, ...args).catch((err: Error) => {
      if (!err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(SCRIPT, 1, redisKey, ...args);
    })) as [number, string];
    const tokens = Number(reply[1]);
    const allowed = reply[0] === 1;
    return {
      allowed,
      limit: points,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((points - tokens) / perSecond),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((spent - tokens) / perSecond)),
    };
  }
}

/** The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers), plus Retry-After when refused. */
export function rateLimitHeaders(state: RateLimitState): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['ratelimit-limit', String(state.limit)],
    ['ratelimit-remaining', String(state.remaining)],
    ['ratelimit-reset', String(state.resetSeconds)],
  ];
  if (!state.allowed) headers.push(['retry-after', String(state.retryAfterSeconds)]);
  return headers;
}
