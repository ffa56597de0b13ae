import { rateLimited } from '@ticketing/kit/graphql';
import type { Redis } from 'ioredis';

export interface SignUpLimitOptions {
  redis: Redis;
  prefix: string;
  /** Sign-ups one client address may try per window; 0 turns the limit off. */
  perAddress: number;
  windowSeconds: number;
}

/**
 * Sign-ups per client address in a fixed window (Redis INCR: one count per attempt, shared by
 * replicas), so one client cannot make accounts by the thousand. Attempts are counted whatever
 * their outcome. A request without an address (not through the gateway's client) is not limited.
 */
export class SignUpLimit {
  constructor(private readonly options: SignUpLimitOptions) {}

  /** Counts one sign-up from `address`, or throws RATE_LIMITED saying when to try again. */
  async attempt(address: string | undefined): Promise<void> {
    const { redis, prefix, perAddress, windowSeconds } = this.options;
    if (!address || perAddress <= 0) return;
    const key = `${prefix}signup:addr:${address}`;
    const result = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    if (count <= perAddress) return;
    const seconds = Math.max(1, Number(result?.[2]?.[1] ?? windowSeconds));
    const minutes = Math.ceil(seconds / 60);
    throw rateLimited(
      `Too many sign-ups from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      seconds,
    );
  }
}
