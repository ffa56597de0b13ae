import { isDuplicateKeyError } from '@ticketing/kit';
import { type ApiKeyRecord, SessionProtocol } from '@ticketing/kit/auth';
import {
  badUserInput,
  claimOrReplay,
  conflict,
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  notFound,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { requireAccountScope, SESSION_ONLY } from './accountScope';
import { apiKeySecret, newApiKeySecret } from './apiKeySecret';
import type { ApiKeyDoc } from './models';
import { openSecret, sealSecret } from './replaySecret';
import { ApiKey, ApiKeyCreated } from './types';
import type { UsersDeps } from './UsersDeps';

const DAY_MS = 24 * 3600 * 1000;
/** Ten years: a bound, not a policy (omit expiresInDays for a key that never expires). */
export const MAX_EXPIRES_IN_DAYS = 3650;

/** The record the gateway resolves a key with (see ApiKeyRecord). */
export function apiKeyRecord(
  userId: string,
  keyId: string,
  expiresAt: Date | null | undefined,
): ApiKeyRecord {
  return expiresAt ? { userId, keyId, expiresAt: expiresAt.getTime() } : { userId, keyId };
}

/** Makes a key usable at the gateway: its record in Redis, gone by itself when the key expires. */
export async function publishApiKey(
  redis: Redis,
  prefix: string,
  secretHash: string,
  record: ApiKeyRecord,
): Promise<void> {
  const key = SessionProtocol.apiKeyKey(prefix, secretHash);
  if (record.expiresAt === undefined) await redis.set(key, JSON.stringify(record));
  else await redis.set(key, JSON.stringify(record), 'PXAT', record.expiresAt);
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly deps: UsersDeps) {}

  @Mutation(() => ApiKeyCreated, {
    description: `For integrators: use as \`Authorization: Bearer <secret>\`. A key may read, list and buy (queries, subscriptions, createOrder, cancelOrder, payOrder), never manage keys or the account (createApiKey, revokeApiKey, User.apiKeys, changeEmail, signOut). It stops working when revoked or once expiresInDays have passed. ${SESSION_ONLY}`,
  })
  async createApiKey(
    @Arg('name') name: string,
    @Arg('expiresInDays', () => Int, {
      nullable: true,
      description: `Days until the key stops working, 1 to ${MAX_EXPIRES_IN_DAYS}; omitted: it never expires.`,
    })
    expiresInDays: number | null | undefined,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ApiKeyCreated> {
    const identity = requireAccountScope(ctx);
    const problems = [];
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      problems.push({ field: 'name', message: 'must be 1 to 100 characters' });
    }
    const days = expiresInDays ?? null;
    if (days !== null && (days < 1 || days > MAX_EXPIRES_IN_DAYS)) {
      problems.push({ field: 'expiresInDays', message: `must be 1 to ${MAX_EXPIRES_IN_DAYS}` });
    }
    if (problems.length) throw badUserInput(problems);
    const key = idempotencyKeyOf(ctx, idempotencyKey);
    const { ApiKeys } = this.deps.models;
    const ownId = new Types.ObjectId().toHexString();
    let { secret, prefix, secretHash } = newApiKeySecret();
    // The secret is kept with the key, sealed (replaySecret), for a retry whose answer was lost:
    // a retry goes on with the first call's secret when that call made no API key.
    const claim = await claimOrReplay(
      this.deps.idempotency,
      {
        operation: 'createApiKey',
        scope: identity.userId,
        key,
        input: { name: trimmed, expiresInDays: days },
        resultId: ownId,
        payload: key ? sealSecret(this.deps.jwtKey, ownId, secret) : undefined,
      },
      async ({ resultId, payload }) => {
        const opened = payload && openSecret(this.deps.jwtKey, resultId, payload);
        if (!opened)
          throw conflict(
            'This key made an API key whose secret can no longer be shown: revoke it and create another',
          );
        ({ secret, prefix, secretHash } = apiKeySecret(opened));
        const first = await ApiKeys.findById(new Types.ObjectId(resultId)).lean();
        return first ? this.created(first, secret) : null;
      },
    );
    if (claim.replayed) return claim.replayed;
    const _id = new Types.ObjectId(claim.resultId);
    const createdAt = new Date();
    const expiresAt = days === null ? null : new Date(createdAt.getTime() + days * DAY_MS);
    const doc: ApiKeyDoc = {
      _id,
      userId: new Types.ObjectId(identity.userId),
      name: trimmed,
      prefix,
      secretHash,
      createdAt,
      expiresAt,
    };
    try {
      await ApiKeys.create(doc);
    } catch (err) {
      // A concurrent call with the same key made it just now: the same answer.
      const first = key && isDuplicateKeyError(err) && (await ApiKeys.findById(_id).lean());
      if (first) return this.created(first, secret);
      throw err;
    }
    return this.created(doc, secret);
  }

  /**
   * The answer of createApiKey, once the key is usable at the gateway: published to Redis again on a
   * retry too (the first call may have died before), unless it was revoked meanwhile.
   */
  private async created(doc: ApiKeyDoc, secret: string): Promise<ApiKeyCreated> {
    const keyId = doc._id.toHexString();
    const record = apiKeyRecord(doc.userId.toHexString(), keyId, doc.expiresAt);
    const expired = doc.expiresAt && doc.expiresAt.getTime() <= Date.now();
    if (!doc.revokedAt && !expired) {
      await publishApiKey(this.deps.redis, this.deps.redisPrefix, doc.secretHash, record);
    }
    const { name, prefix, createdAt } = doc;
    const apiKey = Object.assign(new ApiKey(), {
      id: keyId,
      name,
      prefix,
      createdAt,
      expiresAt: doc.expiresAt ?? null,
    });
    return Object.assign(new ApiKeyCreated(), { apiKey, secret });
  }

  @Mutation(() => Boolean, {
    description: `Revokes one of your API keys; it stops working within seconds. ${SESSION_ONLY}`,
  })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    const identity = requireAccountScope(ctx);
    if (!Types.ObjectId.isValid(id)) throw notFound('API key');
    const { ApiKeys } = this.deps.models;
    const doc = await ApiKeys.findOne({
      _id: new Types.ObjectId(id),
      userId: new Types.ObjectId(identity.userId),
    }).lean();
    if (!doc) throw notFound('API key');
    if (!doc.revokedAt) await ApiKeys.updateOne({ _id: doc._id }, { $set: { revokedAt: new Date() } });
    const { redis, redisPrefix } = this.deps;
    await redis.del(SessionProtocol.apiKeyKey(redisPrefix, doc.secretHash));
    await redis.publish(SessionProtocol.apiKeyRevokedChannel(redisPrefix), doc.secretHash);
    return true;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When a request last used the key (approximate).',
  })
  async lastUsedAt(@Root() key: ApiKey): Promise<Date | null> {
    const used = await this.deps.redis.get(SessionProtocol.apiKeyUsedKey(this.deps.redisPrefix, key.id));
    return used ? new Date(Number(used)) : null;
  }
}
