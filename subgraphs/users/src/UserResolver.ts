import { outboxFields, UserCreated, UserUpdated, withOutbox } from '@ticketing/events';
import { isDuplicateKeyError } from '@ticketing/kit';
import { badUserInput, type SubgraphContext, unauthenticated } from '@ticketing/kit/graphql';
import { Types } from 'mongoose';
import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserDoc } from './models';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
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
  async signUp(@Args() { email, password }: CredentialsArgs, @Ctx() ctx: SubgraphContext): Promise<User> {
    const normalized = validateCredentials(email, password);
    const { Users } = this.deps.models;
    if (await Users.exists({ email: normalized })) throw emailInUse();
    const _id = new Types.ObjectId();
    const event = UserCreated.create({
      aggregateId: _id.toHexString(),
      aggregateVersion: 1,
      data: { email: normalized },
    });
    try {
      await Users.create({
        _id,
        email: normalized,
        passwordHash: await hashPassword(password),
        version: 1,
        ...outboxFields(event),
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw emailInUse();
      throw err;
    }
    this.deps.kickOutbox();
    startSession(this.deps, ctx, _id.toHexString());
    return toUser({ _id, email: normalized });
  }

  @Mutation(() => User, { description: 'Starts a session (cookie).' })
  async signIn(@Args() { email, password }: CredentialsArgs, @Ctx() ctx: SubgraphContext): Promise<User> {
    const normalized = normalizeEmail(email);
    const { throttle } = this.deps;
    await throttle.check(normalized, ctx.clientAddress);
    const doc = await this.deps.models.Users.findOne(
      { email: normalized },
      { email: 1, passwordHash: 1 },
    ).lean();
    // Always one scrypt, so an unknown email takes as long as a wrong password.
    const ok = await verifyPassword(password.slice(0, 1024), doc?.passwordHash ?? DUMMY_HASH);
    if (!doc || !ok) {
      await throttle.recordFailure(normalized, ctx.clientAddress);
      throw badUserInput([{ field: 'password', message: SIGN_IN_FAILED }], SIGN_IN_FAILED);
    }
    await throttle.recordSuccess(normalized);
    startSession(this.deps, ctx, doc._id.toHexString());
    return toUser(doc);
  }

  @Mutation(() => Boolean, { description: 'Ends the session, server-side too: the cookie stops working.' })
  async signOut(@Ctx() ctx: SubgraphContext): Promise<boolean> {
    await endSession(this.deps, ctx);
    return true;
  }

  @Mutation(() => User, { description: "Changes the signed-in user's email; needs the password." })
  async changeEmail(
    @Args() { email, password }: CredentialsArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    if (!ctx.identity) throw unauthenticated();
    const { Users } = this.deps.models;
    const doc = await Users.findById(ctx.identity.userId, { passwordHash: 1, version: 1 }).lean();
    if (!doc) throw unauthenticated();
    const normalized = validateCredentials(email, password);
    if (!(await verifyPassword(password, doc.passwordHash))) {
      throw badUserInput([{ field: 'password', message: SIGN_IN_FAILED }], SIGN_IN_FAILED);
    }
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
    return toUser({ _id: doc._id, email: normalized });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Only to that user; null for anyone else.' })
  email(@Root() user: User, @Ctx() ctx: SubgraphContext): string | null {
    return ctx.identity?.userId === user.id ? (user.emailAddress ?? null) : null;
  }

  @FieldResolver(() => [ApiKey], { nullable: true, description: 'Active API keys; only to that user.' })
  async apiKeys(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<ApiKey[] | null> {
    if (ctx.identity?.userId !== user.id) return null;
    const docs = await this.deps.models.ApiKeys.find({
      userId: new Types.ObjectId(user.id),
      revokedAt: null,
    })
      .sort({ createdAt: -1 })
      .lean();
    return docs.map((d) =>
      Object.assign(new ApiKey(), {
        id: d._id.toHexString(),
        name: d.name,
        prefix: d.prefix,
        createdAt: d.createdAt,
      }),
    );
  }
}
