import { type ApiKeyRecord, SessionProtocol } from '@ticketing/kit/auth';
import { badUserInput, notFound, type SubgraphContext, unauthenticated } from '@ticketing/kit/graphql';
import { Types } from 'mongoose';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { newApiKeySecret } from './apiKeySecret';
import { ApiKey, ApiKeyCreated } from './types';
import type { UsersDeps } from './UsersDeps';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly deps: UsersDeps) {}

  @Mutation(() => ApiKeyCreated, { description: 'For integrators: use as `Authorization: Bearer <secret>`.' })
  async createApiKey(@Arg('name') name: string, @Ctx() ctx: SubgraphContext): Promise<ApiKeyCreated> {
    if (!ctx.identity) throw unauthenticated();
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      throw badUserInput([{ field: 'name', message: 'must be 1 to 100 characters' }]);
    }
    const { secret, prefix, secretHash } = newApiKeySecret();
    const doc = await this.deps.models.ApiKeys.create({
      userId: new Types.ObjectId(ctx.identity.userId),
      name: trimmed,
      prefix,
      secretHash,
      createdAt: new Date(),
    });
    const record: ApiKeyRecord = { userId: ctx.identity.userId, keyId: doc._id.toHexString() };
    await this.deps.redis.set(
      SessionProtocol.apiKeyKey(this.deps.redisPrefix, secretHash),
      JSON.stringify(record),
    );
    const apiKey = Object.assign(new ApiKey(), {
      id: record.keyId,
      name: trimmed,
      prefix,
      createdAt: doc.createdAt,
    });
    return Object.assign(new ApiKeyCreated(), { apiKey, secret });
  }

  @Mutation(() => Boolean, { description: 'Revokes one of your API keys; it stops working within seconds.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    if (!ctx.identity) throw unauthenticated();
    if (!Types.ObjectId.isValid(id)) throw notFound('API key');
    const { ApiKeys } = this.deps.models;
    const doc = await ApiKeys.findOne({
      _id: new Types.ObjectId(id),
      userId: new Types.ObjectId(ctx.identity.userId),
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
