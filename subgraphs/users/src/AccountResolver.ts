import { forbidden, notFound, type SubgraphContext } from '@ticketing/kit/graphql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireAccountScope, SESSION_ONLY } from './accountScope';
import { OPERATOR } from './models';
import { endAllSessions, endSession } from './sessions';
import { User } from './types';
import type { UsersDeps } from './UsersDeps';
import { normalizeEmail } from './validation';

const OPERATORS_ONLY =
  'Operators only (an account granted the operator role by `npm run admin -- grant-operator <email>`, signed in with a session); anyone else gets FORBIDDEN.';

/** Sign-out everywhere, and the operator's bans. */
@Resolver(() => User)
export class AccountResolver {
  constructor(private readonly deps: UsersDeps) {}

  @Mutation(() => Boolean, {
    description: `Ends every session of this account, this one included, on every device, within seconds (open WebSockets at their next check). API keys keep working: revoke them one by one. ${SESSION_ONLY}`,
  })
  async signOutEverywhere(@Ctx() ctx: SubgraphContext): Promise<boolean> {
    const identity = requireAccountScope(ctx);
    await endAllSessions(this.deps, identity.userId);
    await endSession(this.deps, ctx);
    return true;
  }

  @Mutation(() => Boolean, {
    description: `Bans an account: within seconds every session, API key and open WebSocket of it stops working, and signing in answers ACCOUNT_BANNED. NOT_FOUND when no account has this email. ${OPERATORS_ONLY}`,
  })
  banAccount(@Arg('email') email: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    return this.setBanned(ctx, email, true);
  }

  @Mutation(() => Boolean, {
    description: `Lifts a ban: the account may sign in again and its API keys work again (sessions from before stay ended). ${OPERATORS_ONLY}`,
  })
  unbanAccount(@Arg('email') email: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    return this.setBanned(ctx, email, false);
  }

  private async setBanned(ctx: SubgraphContext, email: string, banned: boolean): Promise<boolean> {
    const identity = requireAccountScope(ctx);
    const caller = await this.deps.models.Users.findById(identity.userId, { roles: 1 }).lean();
    if (!caller?.roles?.includes(OPERATOR)) throw forbidden('Only an operator can ban or unban accounts');
    const normalized = normalizeEmail(email);
    const target = await this.deps.models.Users.findOne({ email: normalized }, { _id: 1 }).lean();
    if (target?._id.equals(caller._id)) throw forbidden('An operator cannot ban or unban themself');
    const done = await this.deps.bans.setBanned(normalized, banned);
    if (!done) throw notFound('Account');
    this.deps.logger.info(
      { operator: identity.userId, account: done.toHexString(), banned },
      'account ban set',
    );
    return true;
  }
}
