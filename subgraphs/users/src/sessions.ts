import { randomUUID } from 'node:crypto';
import { SessionProtocol } from '@ticketing/kit/auth';
import { type SubgraphContext } from '@ticketing/kit/graphql';
import type { UsersDeps } from './UsersDeps';

/**
 * Starts a session: a signed JWT with a session id, handed to the gateway in a response header. The
 * rest of this request acts as the new session's user (so signUp/signIn can show its email).
 */
export function startSession(deps: UsersDeps, ctx: SubgraphContext, userId: string): void {
  const sessionId = randomUUID();
  ctx.identity = { userId, sessionId, via: 'session' };
  const token = SessionProtocol.signSession(userId, sessionId, {
    jwtKey: deps.jwtKey,
    ttlSeconds: deps.sessionTtlSeconds,
  });
  ctx.res.setHeader(SessionProtocol.header, token);
}

/** Ends a session server-side: its id goes on the revocation list for as long as it could live. */
export async function endSession(deps: UsersDeps, ctx: SubgraphContext): Promise<void> {
  const sessionId = ctx.identity?.sessionId;
  if (sessionId) {
    await deps.redis.set(
      SessionProtocol.revokedKey(deps.redisPrefix, sessionId),
      '1',
      'EX',
      deps.sessionTtlSeconds,
    );
  }
  ctx.res.setHeader(SessionProtocol.header, '');
}
