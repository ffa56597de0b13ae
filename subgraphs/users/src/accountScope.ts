import { hasScope, type Identity } from '@ticketing/kit/auth';
import { forbidden, type SubgraphContext, unauthenticated } from '@ticketing/kit/graphql';

/** What the schema says of every field that needs the account scope. */
export const SESSION_ONLY = 'Needs a signed-in session: API keys are refused (FORBIDDEN).';

/**
 * The caller, when it may manage the account (keys, email, sign-out): a session may, an API key may
 * not (it reads, lists and buys only), so a leaked key cannot mint more keys or take the account.
 */
export function requireAccountScope(ctx: SubgraphContext): Identity {
  if (!ctx.identity) throw unauthenticated();
  if (!hasScope(ctx.identity, 'account')) {
    throw forbidden('API keys cannot manage API keys or change the account: sign in to do this');
  }
  return ctx.identity;
}
