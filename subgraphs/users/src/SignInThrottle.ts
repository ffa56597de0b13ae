import { rateLimited } from '@ticketing/kit/graphql';
import type { Redis } from 'ioredis';

export interface SignInThrottleOptions {
  redis: Redis;
  prefix: string;
  /** Failed attempts allowed per email within the window. Default 5. */
  perEmail?: number;
  /** Failed attempts allowed per client address within the window. Default 20. */
  perAddress?: number;
  /** Default 900 s. */
  windowSeconds?: number;
}

/**
 * Counts failed sign-ins per email and per client address in Redis; once either reaches its
 * limit, sign-ins for it are refused with RATE_LIMITED until the window (from the first failure)
 * has passed. A successful sign-in clears the email's count.
 */
export class SignInThrottle {
  constructor(private readonly options: SignInThrottleOptions) {}

  private keys(email: string, address: string | undefined) {
    const base = `${this.options.prefix}signin:failed:`;
    return { email: `${base}email:${email}`, address: address ? `${base}addr:${address}` : undefined };
  }

  /** Throws RATE_LIMITED when this email or address has failed too often lately. */
  async check(email: string, address: string | undefined): Promise<void> {
    const { redis, perEmail = 5, perAddress = 20 } = this.options;
    const keys = this.keys(email, address);
    const [byEmail, byAddress] = await redis.mget(keys.email, keys.address ?? keys.email);
    const overEmail = Number(byEmail ?? 0) >= perEmail;
    const overAddress = keys.address !== undefined && Number(byAddress ?? 0) >= perAddress;
    if (!overEmail && !overAddress) return;
    const ttl = await redis.ttl(overEmail ? keys.email : (keys.address ?? keys.email));
    const minutes = Math.max(1, Math.ceil(ttl / 60));
    throw rateLimited(
      `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      Math.max(ttl, 1),
    );
  }

  async recordFailure(email: string, address: string | undefined): Promise<void> {
    const { redis, windowSeconds = 900 } = this.options;
    const multi = redis.multi();
    for (const key of Object.values(this.keys(email, address))) {
      if (!key) continue;
      multi.incr(key).expire(key, windowSeconds, 'NX');
    }
    await multi.exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.options.redis.del(this.keys(email, undefined).email);
  }
}
