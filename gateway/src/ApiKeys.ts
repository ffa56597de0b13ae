import { createHash } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyRecord, type Identity, SessionProtocol } from '@ticketing/kit/auth';
import type { Redis } from 'ioredis';

export interface ApiKeysOptions {
  redis: Redis;
  /** A second connection for the revocation channel (a subscribed connection can do nothing else). */
  subscriber: Redis;
  redisPrefix: string;
  /** How long a found key is trusted without asking Redis again. */
  cacheSeconds: number;
}

const USE_WRITE_INTERVAL_MS = 60_000;

/**
 * Resolves `Authorization: Bearer <secret>` to the key's owner. users keeps `sha256(secret) →
 * { userId, keyId }` in Redis; found keys are cached for a few seconds, and dropped at once when
 * users announces a revocation on the Redis channel. Unknown keys are not cached (a new key works
 * at once); an expired key is refused like a revoked one, cached or not, and so is the key of a
 * banned account (never cached). A key's identity carries its scopes (read and buy: never the
 * account), which subgraphs check. Records when a key was last used, at most once a minute per key.
 */
export class ApiKeys {
  private readonly cache = new Map<string, { record: ApiKeyRecord; until: number }>();
  private readonly lastWrite = new Map<string, number>();

  constructor(private readonly options: ApiKeysOptions) {}

  async start(): Promise<void> {
    const channel = SessionProtocol.apiKeyRevokedChannel(this.options.redisPrefix);
    this.options.subscriber.on('message', (ch: string, hash: string) => {
      if (ch === channel) this.cache.delete(hash);
    });
    await this.options.subscriber.subscribe(channel);
  }

  async identify(secret: string): Promise<Identity | null> {
    const hash = createHash('sha256').update(secret).digest('hex');
    const now = Date.now();
    const cached = this.cache.get(hash);
    let record = cached && cached.until > now ? cached.record : undefined;
    if (!record) {
      this.cache.delete(hash);
      const raw = await this.options.redis.get(SessionProtocol.apiKeyKey(this.options.redisPrefix, hash));
      if (!raw) return null;
      record = JSON.parse(raw) as ApiKeyRecord;
      // A banned owner's keys are suspended, not deleted: an unban makes them work again. users
      // announces each of them on the revocation channel when it bans, so no cache outlives it.
      const mark = await this.options.redis.get(
        SessionProtocol.userRevokedKey(this.options.redisPrefix, record.userId),
      );
      if (mark === SessionProtocol.banned) return null;
      if (this.options.cacheSeconds > 0)
        this.cache.set(hash, { record, until: now + this.options.cacheSeconds * 1000 });
    }
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      this.cache.delete(hash);
      return null;
    }
    this.recordUse(record.keyId, now);
    return { userId: record.userId, apiKeyId: record.keyId, via: 'apiKey', scopes: API_KEY_SCOPES };
  }

  private recordUse(keyId: string, now: number): void {
    if (now - (this.lastWrite.get(keyId) ?? 0) < USE_WRITE_INTERVAL_MS) return;
    this.lastWrite.set(keyId, now);
    const key = SessionProtocol.apiKeyUsedKey(this.options.redisPrefix, keyId);
    this.options.redis.set(key, String(now), 'EX', 90 * 24 * 3600).catch(() => this.lastWrite.delete(keyId));
  }
}
