import 'reflect-metadata';
import { type StoreService, type StoreServiceOptions, startStoreService } from '@ticketing/events';
import { IdempotencyKeys, serveSubgraph } from '@ticketing/kit/graphql';
import { Redis } from 'ioredis';
import { AccountBans } from './AccountBans';
import { apiKeyRecord, publishApiKey } from './ApiKeyResolver';
import { registerModels, type UsersModels } from './models';
import { SignInThrottle } from './SignInThrottle';
import { SignUpLimit } from './SignUpLimit';
import { buildUsersSchema } from './schema';
import type { UsersSettings } from './settings';
import { UserDirectory } from './UserDirectory';

export interface UsersServiceOptions extends StoreServiceOptions {
  settings: UsersSettings;
  production?: boolean;
}

export interface UsersService extends StoreService<UsersModels> {
  url: string;
  port: number;
}

/** Starts the users subgraph: MongoDB (indexes first), Redis, events + outbox relay, then HTTP. */
export function createUsersService(options: UsersServiceOptions): Promise<UsersService> {
  const { settings } = options;
  const store = { registerModels, outboxOf: (m: UsersModels) => [m.Users] };
  return startStoreService('users', options, store, async ({ models, events, relay }, ctx) => {
    const { logger, shutdown } = ctx;
    const redis = new Redis(settings.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    shutdown.add('redis', () => redis.quit());
    await publishActiveApiKeys(models, redis, settings.REDIS_PREFIX);
    const bans = new AccountBans({
      models,
      redis,
      redisPrefix: settings.REDIS_PREFIX,
      sessionMaxAgeSeconds: settings.SESSION_MAX_AGE_SECONDS,
      kickOutbox: () => relay.kick(),
    });
    await bans.publishAll();
    const directory = await new UserDirectory(models.Users, { logger }).start(events);
    shutdown.add('user directory', () => directory.stop());

    const schema = await buildUsersSchema({
      models,
      redis,
      redisPrefix: settings.REDIS_PREFIX,
      jwtKey: settings.JWT_KEY,
      sessionTtlSeconds: settings.SESSION_TTL_SECONDS,
      sessionMaxAgeSeconds: settings.SESSION_MAX_AGE_SECONDS,
      passwordResetTtlSeconds: settings.PASSWORD_RESET_TTL_SECONDS,
      sealKey: settings.INTERNAL_JWT_KEY,
      bans,
      logger,
      throttle: new SignInThrottle({
        redis,
        prefix: settings.REDIS_PREFIX,
        perAccount: settings.SIGN_IN_FREE_ATTEMPTS,
        perAddress: settings.SIGN_IN_PER_ADDRESS,
        backoffSeconds: settings.SIGN_IN_BACKOFF_SECONDS,
        maxBackoffSeconds: settings.SIGN_IN_MAX_BACKOFF_SECONDS,
      }),
      signUpLimit: new SignUpLimit({
        redis,
        prefix: settings.REDIS_PREFIX,
        perAddress: settings.SIGN_UP_PER_ADDRESS,
        windowSeconds: settings.SIGN_UP_WINDOW_SECONDS,
      }),
      idempotency: new IdempotencyKeys(models.IdempotencyRecords),
      directory,
      kickOutbox: () => relay.kick(),
    });
    const server = await serveSubgraph(schema, settings, ctx, options);
    return { url: server.url, port: server.port };
  });
}

/** Redis holds the API keys the gateway resolves; rebuild it from the database at start. */
async function publishActiveApiKeys(models: UsersModels, redis: Redis, prefix: string): Promise<void> {
  const found = await models.ApiKeys.find(
    { revokedAt: null },
    { userId: 1, secretHash: 1, expiresAt: 1 },
  ).lean();
  const now = Date.now();
  const active = found.filter((key) => !key.expiresAt || key.expiresAt.getTime() > now);
  await Promise.all(
    active.map((key) =>
      publishApiKey(
        redis,
        prefix,
        key.secretHash,
        apiKeyRecord(key.userId.toHexString(), key._id.toHexString(), key.expiresAt),
      ),
    ),
  );
}
