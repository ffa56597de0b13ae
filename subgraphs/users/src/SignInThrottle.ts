import { rateLimited } from '@ticketing/kit/graphql';
import type { Redis } from 'ioredis';

export interface SignInThrottleOptions {
  redis: Redis;
  prefix: string;
  /** Password checks one account may get from one address before the back-off starts. Default 5. */
  perAccount?: number;
  /** Failed password checks one address may get over all accounts before its back-off. Default 20. */
  perAddress?: number;
  /** The first back-off; each further attempt doubles it. Default 1 s. */
  backoffSeconds?: number;
  /** The longest back-off. Default 900 s. */
  maxBackoffSeconds?: number;
  /** Counts are forgotten after this long without an attempt. Default 900 s. */
  idleSeconds?: number;
}

/**
 * One atomic step for every password check, run before it: refused (the milliseconds to wait) while
 * any key is in its back-off; otherwise every key counts the attempt, and a key at or past its free
 * attempts starts a back-off of base·2^(count−free), capped. Redis runs a script alone, so 40
 * concurrent guesses cannot all read "4 so far": exactly `free` of them get through.
 *
 * KEYS: the counters. ARGV: base ms, max ms, idle ms, then each key's free attempts.
 */
const ATTEMPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local base, max, idle = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for i, key in ipairs(KEYS) do
  local s = redis.call('HMGET', key, 'n', 'until')
  local n, till = tonumber(s[1]) or 0, tonumber(s[2]) or 0
  if n >= tonumber(ARGV[3 + i]) and till - now > wait then wait = till - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local free = tonumber(ARGV[3 + i])
  local n = redis.call('HINCRBY', key, 'n', 1)
  local hold = 0
  if n >= free then
    hold = math.floor(math.min(max, base * 2 ^ (n - free)))
    redis.call('HSET', key, 'until', now + hold)
  end
  redis.call('PEXPIRE', key, idle + hold)
end
return 0
`;

/** Clears the account's count and gives the address one attempt back (never below 0, never a new key). */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if (tonumber(redis.call('HGET', KEYS[2], 'n')) or 0) > 0 then redis.call('HINCRBY', KEYS[2], 'n', -1) end
`;

/**
 * The sign-in throttle every password check goes through (signIn, changeEmail). An attempt is
 * counted before the password is checked, per account and client address (a guesser elsewhere
 * cannot lock the owner out) and per address over all accounts; past the free attempts each
 * further one waits a growing delay instead of a fixed lock-out. A right password clears the
 * account's count and gives the address its attempt back. Shared by every replica (Redis).
 */
export class SignInThrottle {
  constructor(private readonly options: SignInThrottleOptions) {}

  private keys(account: string, address: string | undefined) {
    const base = `${this.options.prefix}signin:`;
    const from = address ?? '-';
    return { account: `${base}acct:${from}:${account}`, address: `${base}addr:${from}` };
  }

  /** Counts one password check for `account` (a normalized email) from `address`, or throws RATE_LIMITED. */
  async attempt(account: string, address: string | undefined): Promise<void> {
    const o = this.options;
    const keys = this.keys(account, address);
    const waitMs = Number(
      await o.redis.eval(
        ATTEMPT,
        2,
        keys.account,
        keys.address,
        (o.backoffSeconds ?? 1) * 1000,
        (o.maxBackoffSeconds ?? 900) * 1000,
        (o.idleSeconds ?? 900) * 1000,
        o.perAccount ?? 5,
        o.perAddress ?? 20,
      ),
    );
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw rateLimited(
      `Too many sign-in attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      seconds,
    );
  }

  /** The password was right: the account starts afresh, and the address's attempt is not held against it. */
  async succeeded(account: string, address: string | undefined): Promise<void> {
    const keys = this.keys(account, address);
    await this.options.redis.eval(SUCCEEDED, 2, keys.account, keys.address);
  }
}
