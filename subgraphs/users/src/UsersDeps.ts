import type { Logger } from '@ticketing/kit';
import type { IdempotencyKeys } from '@ticketing/kit/graphql';
import type { Redis } from 'ioredis';
import type { AccountBans } from './AccountBans';
import type { UsersModels } from './models';
import type { SignInThrottle } from './SignInThrottle';
import type { SignUpLimit } from './SignUpLimit';
import type { UserDirectory } from './UserDirectory';

/** What the resolvers need; built once by createUsersService. */
export interface UsersDeps {
  models: UsersModels;
  redis: Redis;
  redisPrefix: string;
  jwtKey: string;
  sessionTtlSeconds: number;
  /** The absolute session lifetime (SESSION_MAX_AGE_SECONDS). */
  sessionMaxAgeSeconds: number;
  passwordResetTtlSeconds: number;
  /** Seals the password-reset token for the email worker (INTERNAL_JWT_KEY, which it holds too). */
  sealKey: string;
  bans: AccountBans;
  logger: Logger;
  /** Every password check goes through it first. */
  throttle: SignInThrottle;
  signUpLimit: SignUpLimit;
  /** signUp's and createApiKey's idempotency keys. */
  idempotency: IdempotencyKeys;
  /** Users as other subgraphs ask for them (entity references), from memory. */
  directory: UserDirectory;
  /** Asks the outbox relay to publish now (after a write that added an event). */
  kickOutbox: () => void;
}
