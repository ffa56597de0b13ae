import { PASSWORD_RESET_SEAL_PURPOSE, PasswordResetRequested, withOutbox } from '@ticketing/events';
import { sealText } from '@ticketing/kit/auth';
import { accountBanned, badUserInput, type SubgraphContext, unauthenticated } from '@ticketing/kit/graphql';
import type { Types } from 'mongoose';
import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireAccountScope, SESSION_ONLY } from './accountScope';
import type { UserDoc } from './models';
import { hashPassword, verifyPassword } from './password';
import { newResetToken, resetTokenMatches, resetTokenUser } from './passwordReset';
import { endAllSessions, startSession } from './sessions';
import { ChangePasswordArgs, ResetPasswordArgs, User } from './types';
import { SIGN_IN_FAILED, toUser } from './UserResolver';
import type { UsersDeps } from './UsersDeps';
import { normalizeEmail, PASSWORD_MAX, PASSWORD_MIN } from './validation';

const RESET_FAILED = 'This reset link is invalid, used or expired: ask for a new one';

function checkNewPassword(password: string, field: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw badUserInput([{ field, message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` }]);
  }
}

/**
 * Changing a password (with the current one) and resetting a forgotten one by email. Every check
 * goes through the sign-in throttle first; a new password ends every session of the account but
 * the one this request starts (a new session id).
 */
@Resolver(() => User)
export class PasswordResolver {
  constructor(private readonly deps: UsersDeps) {}

  @Mutation(() => User, {
    description: `Changes the password; needs the current one. Every other session of the account ends, and this one continues under a new session id. ${SESSION_ONLY}`,
  })
  async changePassword(
    @Args() { currentPassword, newPassword }: ChangePasswordArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    const identity = requireAccountScope(ctx);
    const { Users } = this.deps.models;
    const doc = await Users.findById(identity.userId, { email: 1, passwordHash: 1 }).lean();
    if (!doc) throw unauthenticated();
    checkNewPassword(newPassword, 'newPassword');
    // The same throttle as signIn, on the account's email: no second way to guess.
    await this.deps.throttle.attempt(doc.email, ctx.clientAddress);
    if (!(await verifyPassword(currentPassword.slice(0, 1024), doc.passwordHash))) {
      throw badUserInput([{ field: 'currentPassword', message: SIGN_IN_FAILED }], SIGN_IN_FAILED);
    }
    await this.deps.throttle.succeeded(doc.email, ctx.clientAddress);
    const passwordHash = await hashPassword(newPassword);
    await Users.updateOne({ _id: doc._id }, { $set: { passwordHash }, $unset: { passwordReset: 1 } });
    await this.newPasswordSession(ctx, doc._id);
    return toUser(doc);
  }

  @Mutation(() => Boolean, {
    description:
      'Mails a single-use link to reset the password (it works for PASSWORD_RESET_TTL_SECONDS, 30 minutes by default; a newer request replaces it). Always true, whether or not an account has this email, and as quickly; counted by the sign-in throttle (RATE_LIMITED past it).',
  })
  async requestPasswordReset(@Arg('email') email: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    const normalized = normalizeEmail(email);
    await this.deps.throttle.attempt(normalized, ctx.clientAddress);
    // Not awaited: how long the answer takes says nothing about the account either.
    this.issueResetToken(normalized).catch((err: unknown) =>
      this.deps.logger.error({ err }, 'could not issue a password-reset token'),
    );
    return true;
  }

  @Mutation(() => User, {
    description:
      'Sets a new password with the token of a reset mail (once; BAD_USER_INPUT naming `token` when it is invalid, used or expired). Every session of the account ends, and this request signs in (cookie).',
  })
  async resetPassword(
    @Args() { token, newPassword }: ResetPasswordArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    checkNewPassword(newPassword, 'newPassword');
    const userId = resetTokenUser(token);
    const { Users } = this.deps.models;
    const doc = userId
      ? await Users.findById(userId, { email: 1, banned: 1, passwordReset: 1 }).lean()
      : null;
    // Counted like a password check: per account (its email) and per address over all accounts.
    await this.deps.throttle.attempt(doc?.email ?? `reset:${userId ?? '-'}`, ctx.clientAddress);
    const reset = doc?.passwordReset;
    if (
      !doc ||
      !reset ||
      reset.expiresAt.getTime() <= Date.now() ||
      !resetTokenMatches(token, reset.tokenHash)
    ) {
      throw badUserInput([{ field: 'token', message: RESET_FAILED }], RESET_FAILED);
    }
    await this.deps.throttle.succeeded(doc.email, ctx.clientAddress);
    if (doc.banned) throw accountBanned();
    const passwordHash = await hashPassword(newPassword);
    // Single use: only the write that still finds this token's hash sets the password.
    const used = await Users.updateOne(
      { _id: doc._id, 'passwordReset.tokenHash': reset.tokenHash },
      { $set: { passwordHash }, $unset: { passwordReset: 1 } },
    );
    if (used.modifiedCount === 0)
      throw badUserInput([{ field: 'token', message: RESET_FAILED }], RESET_FAILED);
    await this.newPasswordSession(ctx, doc._id);
    return toUser(doc);
  }

  /** Every session of the account before now ends; this request's continues as a new one. */
  private async newPasswordSession(ctx: SubgraphContext, userId: Types.ObjectId): Promise<void> {
    await endAllSessions(this.deps, userId.toHexString());
    await startSession(this.deps, ctx, userId.toHexString());
  }

  /**
   * A new token for the account (replacing any earlier one), its hash stored and the token itself
   * sealed for the email worker in PasswordResetRequested, in one write. Nothing for an unknown or
   * banned account.
   */
  private async issueResetToken(email: string): Promise<void> {
    const { Users } = this.deps.models;
    const doc = await Users.findOne({ email }, { email: 1, banned: 1, version: 1 }).lean();
    if (!doc || doc.banned) return;
    const userId = doc._id.toHexString();
    const { token, tokenHash } = newResetToken(userId);
    const expiresAt = new Date(Date.now() + this.deps.passwordResetTtlSeconds * 1000);
    const event = PasswordResetRequested.create({
      aggregateId: userId,
      aggregateVersion: doc.version,
      data: {
        email: doc.email,
        sealedToken: sealText(this.deps.sealKey, PASSWORD_RESET_SEAL_PURPOSE, userId, token),
        expiresAt: expiresAt.toISOString(),
      },
    });
    await Users.updateOne(
      { _id: doc._id },
      withOutbox<UserDoc>({ $set: { passwordReset: { tokenHash, expiresAt } } }, event),
    );
    this.deps.kickOutbox();
  }
}
