import { outboxFields, UserCreated, UserUpdated, withOutbox } from '@ticketing/events';
import { isDuplicateKeyError } from '@ticketing/kit';
import {
  accountBanned,
  badUserInput,
  claimOrReplay,
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  idempotencyKeyReused,
  type SubgraphContext,
  unauthenticated,
} from '@ticketing/kit/graphql';
import { Types } from 'mongoose';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireAccountScope, SESSION_ONLY } from './accountScope';
import type { UserDoc } from './models';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password';
import { endSession, startSession } from './sessions';
import { ApiKey, CredentialsArgs, User } from './types';
import type { UsersDeps } from './UsersDeps';
import { normalizeEmail, validateCredentials } from './validation';

/** The one message for every failed sign-in, whether or not the email exists. */
export const SIGN_IN_FAILED = 'Email or password is incorrect';

export const toUser = (doc: Pick<UserDoc, '_id' | 'email'>): User =>
  Object.assign(new User(), { id: doc._id.toHexString(), emailAddress: doc.email });

const emailInUse = () => badUserInput([{ field: 'email', message: 'already in use' }]);

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly deps: UsersDeps) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null when signed out.' })
  async me(@Ctx() ctx: SubgraphContext): Promise<User | null> {
    if (!ctx.identity) return null;
    const doc = await this.deps.models.Users.findById(ctx.identity.userId, { email: 1 }).lean();
    return doc ? toUser(doc) : null;
  }

  @Mutation(() => User, { description: 'Creates an account and starts a session (cookie).' })
  async signUp(
    @Args() { email, password }: CredentialsArgs,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    const normalized = validateCredentials(email, password);
    const key = idempotencyKeyOf(ctx, idempotencyKey);
    await this.deps.signUpLimit.attempt(ctx.clientAddress);
    const { Users } = this.deps.models;
    // Scoped to the email (nobody is signed in yet). The first call's password hash is kept
    // with the key, and a retry must give the same password: never kept in clear or fast-hashed.
    const claim = await claimOrReplay(
      this.deps.idempotency,
      {
        operation: 'signUp',
        scope: normalized,
        key,
        input: { email: normalized },
        resultId: new Types.ObjectId().toHexString(),
        payload: key ? await hashPassword(password) : undefined,
      },
      ({ resultId, payload }) =>
        this.replayedSignUp(normalized, password, new Types.ObjectId(resultId), payload ?? '', ctx),
    );
    if (claim.replayed) return claim.replayed;
    const _id = new Types.ObjectId(claim.resultId);
    let passwordHash = claim.payload;
    const taken = await Users.findOne({ email: normalized }, { email: 1 }).lean();
    if (taken && !(key && taken._id.equals(_id))) throw emailInUse();
    if (taken) return await this.signedIn(ctx, taken); // a concurrent call with the same key made it just now
    passwordHash ??= await hashPassword(password);
    const event = UserCreated.create({
      aggregateId: _id.toHexString(),
      aggregateVersion: 1,
      data: { email: normalized },
    });
    try {
      await Users.create({ _id, email: normalized, passwordHash, version: 1, ...outboxFields(event) });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // A concurrent call with the same key made this very account: the same answer.
      const first = key && (await Users.findById(_id, { email: 1 }).lean());
      if (!first) throw emailInUse();
      return await this.signedIn(ctx, first);
    }
    this.deps.kickOutbox();
    return this.signedIn(ctx, { _id, email: normalized });
  }

  private async signedIn(ctx: SubgraphContext, user: Pick<UserDoc, '_id' | 'email'>): Promise<User> {
    await startSession(this.deps, ctx, user._id.toHexString());
    return toUser(user);
  }

  /**
   * A retried signUp: the password must be the first call's (checked through the sign-in throttle,
   * so a key is no way around it). The account when the first call made it (a new session, as the
   * first call's cookie may be lost with its answer), else null: this call makes it.
   */
  private async replayedSignUp(
    email: string,
    password: string,
    _id: Types.ObjectId,
    passwordHash: string,
    ctx: SubgraphContext,
  ): Promise<User | null> {
    await this.deps.throttle.attempt(email, ctx.clientAddress);
    if (!(await verifyPassword(password.slice(0, 1024), passwordHash)))
      throw idempotencyKeyReused(['password']);
    await this.deps.throttle.succeeded(email, ctx.clientAddress);
    const first = await this.deps.models.Users.findById(_id, { email: 1 }).lean();
    return first ? this.signedIn(ctx, first) : null;
  }

  @Mutation(() => User, {
    description:
      'Starts a session (cookie) under a new session id; a session this request came with ends. A banned account gets ACCOUNT_BANNED (after a right password only).',
  })
  async signIn(@Args() { email, password }: CredentialsArgs, @Ctx() ctx: SubgraphContext): Promise<User> {
    const normalized = normalizeEmail(email);
    const { throttle } = this.deps;
    // Counted before the check: concurrent guesses cannot all slip in under the limit.
    await throttle.attempt(normalized, ctx.clientAddress);
    const { Users } = this.deps.models;
    const doc = await Users.findOne({ email: normalized }, { email: 1, passwordHash: 1, banned: 1 }).lean();
    // Always one hash, so an unknown email takes as long as a wrong password.
    const stored = doc?.passwordHash ?? DUMMY_HASH;
    const ok = await verifyPassword(password.slice(0, 1024), stored);
    if (!doc || !ok) throw badUserInput([{ field: 'password', message: SIGN_IN_FAILED }], SIGN_IN_FAILED);
    await throttle.succeeded(normalized, ctx.clientAddress);
    // Told only to whoever knows the password: a ban is nobody else's business.
    if (doc.banned) throw accountBanned();
    if (needsRehash(stored)) {
      // Only if unchanged meanwhile: a password change since the check wins.
      const passwordHash = await hashPassword(password);
      await Users.updateOne({ _id: doc._id, passwordHash: stored }, { $set: { passwordHash } });
    }
    return this.signedIn(ctx, doc);
  }

  @Mutation(() => Boolean, {
    description: `Ends the session, server-side too: the cookie stops working. ${SESSION_ONLY}`,
  })
  async signOut(@Ctx() ctx: SubgraphContext): Promise<boolean> {
    // Signed out already is fine; a key is refused (revokeApiKey, from a session, ends a key).
    if (ctx.identity) requireAccountScope(ctx);
    await endSession(this.deps, ctx);
    return true;
  }

  @Mutation(() => User, {
    description: `Changes the signed-in user's email; needs the password. ${SESSION_ONLY}`,
  })
  async changeEmail(
    @Args() { email, password }: CredentialsArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    const identity = requireAccountScope(ctx);
    const { Users } = this.deps.models;
    const doc = await Users.findById(identity.userId, { email: 1, passwordHash: 1, version: 1 }).lean();
    if (!doc) throw unauthenticated();
    const normalized = validateCredentials(email, password);
    // The same throttle as signIn, on the account's current email: no second way to guess.
    await this.deps.throttle.attempt(doc.email, ctx.clientAddress);
    if (!(await verifyPassword(password.slice(0, 1024), doc.passwordHash))) {
      throw badUserInput([{ field: 'password', message: SIGN_IN_FAILED }], SIGN_IN_FAILED);
    }
    await this.deps.throttle.succeeded(doc.email, ctx.clientAddress);
    const event = UserUpdated.create({
      aggregateId: doc._id.toHexString(),
      aggregateVersion: doc.version + 1,
      data: { email: normalized },
    });
    try {
      const result = await Users.updateOne(
        { _id: doc._id, version: doc.version },
        withOutbox<UserDoc>({ $set: { email: normalized }, $inc: { version: 1 } }, event),
      );
      if (result.matchedCount === 0)
        throw badUserInput([{ field: 'email', message: 'changed meanwhile; try again' }]);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw emailInUse();
      throw err;
    }
    this.deps.kickOutbox();
    this.deps.directory.remember(doc._id.toHexString(), normalized, doc.version + 1);
    return toUser({ _id: doc._id, email: normalized });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Only to that user; null for anyone else.' })
  email(@Root() user: User, @Ctx() ctx: SubgraphContext): string | null {
    return ctx.identity?.userId === user.id ? (user.emailAddress ?? null) : null;
  }

  @FieldResolver(() => [ApiKey], {
    nullable: true,
    description: `Active (neither revoked nor expired) API keys; only to that user, null for anyone else. ${SESSION_ONLY}`,
  })
  async apiKeys(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<ApiKey[] | null> {
    if (ctx.identity?.userId !== user.id) return null;
    requireAccountScope(ctx);
    const docs = await this.deps.models.ApiKeys.find({
      userId: new Types.ObjectId(user.id),
      revokedAt: null,
    })
      .sort({ createdAt: -1 })
      .lean();
    const now = Date.now();
    return docs
      .filter((d) => !d.expiresAt || d.expiresAt.getTime() > now)
      .map((d) =>
        Object.assign(new ApiKey(), {
          id: d._id.toHexString(),
          name: d.name,
          prefix: d.prefix,
          createdAt: d.createdAt,
          expiresAt: d.expiresAt ?? null,
        }),
      );
  }
}
