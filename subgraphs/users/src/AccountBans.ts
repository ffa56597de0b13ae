import { UserUpdated, withOutbox } from '@ticketing/events';
import { SessionProtocol } from '@ticketing/kit/auth';
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import type { UserDoc, UsersModels } from './models';

export interface AccountBansOptions {
  models: UsersModels;
  redis: Redis;
  redisPrefix: string;
  sessionMaxAgeSeconds: number;
  /** Asks the outbox relay to publish now (absent in the admin command: the services' relays find it). */
  kickOutbox?: () => void;
}

/**
 * Bans and unbans accounts, for the operator's mutations and `npm run admin` alike. The account
 * records it (with UserUpdated { banned } in its outbox); then, through the revocation path
 * sign-out uses, Redis marks the user `banned`: every gateway refuses each of its sessions at the
 * next request and its open WebSockets at their next recheck, and its API keys (announced on the
 * revocation channel, so no gateway's cache keeps one) until an unban. An unban keeps the
 * sessions from before it revoked; its keys work again. Both are idempotent, and redo the Redis
 * side each time (a retry after a failure in between repairs it).
 */
export class AccountBans {
  constructor(private readonly options: AccountBansOptions) {}

  /** The account's id, or null when no account has this (normalized) email. */
  async setBanned(email: string, banned: boolean): Promise<Types.ObjectId | null> {
    const { Users } = this.options.models;
    for (let attempt = 0; ; attempt++) {
      const doc = await Users.findOne({ email }, { banned: 1, version: 1 }).lean();
      if (!doc) return null;
      if (Boolean(doc.banned) === banned) {
        await this.mark(doc._id, banned);
        return doc._id;
      }
      const event = UserUpdated.create({
        aggregateId: doc._id.toHexString(),
        aggregateVersion: doc.version + 1,
        data: { banned },
      });
      const written = await Users.updateOne(
        { _id: doc._id, version: doc.version },
        withOutbox<UserDoc>({ $set: { banned }, $inc: { version: 1 } }, event),
      );
      if (written.matchedCount === 1) {
        this.options.kickOutbox?.();
        await this.mark(doc._id, banned);
        return doc._id;
      }
      if (attempt >= 5) throw new Error('the account kept changing; try again');
    }
  }

  /** Redis holds the bans the gateways read; rebuilt from the database at start (a flushed Redis). */
  async publishAll(): Promise<number> {
    const banned = await this.options.models.Users.find({ banned: true }, { _id: 1 }).lean();
    for (const doc of banned) await this.mark(doc._id, true);
    return banned.length;
  }

  private async mark(userId: Types.ObjectId, banned: boolean): Promise<void> {
    const { redis, redisPrefix, sessionMaxAgeSeconds, models } = this.options;
    const key = SessionProtocol.userRevokedKey(redisPrefix, userId.toHexString());
    if (!banned) {
      // Sessions from before the unban stay revoked; none is left past the absolute lifetime.
      await redis.set(key, String(Date.now()), 'EX', sessionMaxAgeSeconds);
      return;
    }
    await redis.set(key, SessionProtocol.banned);
    const keys = await models.ApiKeys.find({ userId, revokedAt: null }, { secretHash: 1 }).lean();
    const channel = SessionProtocol.apiKeyRevokedChannel(redisPrefix);
    for (const k of keys) await redis.publish(channel, k.secretHash);
  }
}
