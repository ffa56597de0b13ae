import { randomUUID } from 'node:crypto';
import { SessionProtocol } from '@ticketing/kit/auth';
import { type SubgraphContext } from '@ticketing/kit/graphql';
import type { UsersDeps } from './UsersDeps';

type SessionDeps = Pick<
  UsersDeps,
  'redis' | 'redisPrefix' | 'jwtKey' | 'sessionTtlSeconds' | 'sessionMaxAgeSeconds'
>;

/**
 * Starts a session: a signed JWT with a new session id, handed to the gateway in a response header.
 * A session this request came with ends (signing in again, a password change): the id rotates, so
 * a session id fixed before sign-in is worth nothing after it. The rest of this request acts as
 * the new session's user (so signUp/signIn can show its email).
 */
export async function startSession(deps: SessionDeps, ctx: SubgraphContext, userId: string): Promise<void> {
  if (ctx.identity?.sessionId) await revokeSession(deps, ctx.identity.sessionId);
  const sessionId = randomUUID();
  ctx.identity = { userId, sessionId, via: 'session' };
  const token = SessionProtocol.signSession(userId, sessionId, {
    jwtKey: deps.jwtKey,
    ttlSeconds: deps.sessionTtlSeconds,
    maxAgeSeconds: deps.sessionMaxAgeSeconds,
  });
  ctx.res.setHeader(SessionProtocol.header, token);
}

/**
 * Ends a session server-side: its id goes on the revocation list for as long as its latest token
 * could live (a revoked session is never renewed).
 */
export async function endSession(deps: SessionDeps, ctx: SubgraphContext): Promise<void> {
  const sessionId = ctx.identity?.sessionId;
  if (sessionId) await revokeSession(deps, sessionId);
  ctx.res.setHeader(SessionProtocol.header, '');
}

function revokeSession(deps: SessionDeps, sessionId: string) {
  const key = SessionProtocol.revokedKey(deps.redisPrefix, sessionId);
  return deps.redis.set(key, '1', 'EX', deps.sessionTtlSeconds);
}

/** Sets the mark to ARGV[1] for ARGV[2] seconds, unless the account is banned (a ban outlasts it). */
const MARK_UNLESS_BANNED = `
if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`;

/**
 * Ends every session of the user started before now, on every gateway at its next request (the
 * same check as a single sign-out, by the user's mark): sign-out everywhere, a password change or
 * reset. Kept for the absolute session lifetime, past which no such session lives anyway.
 */
export async function endAllSessions(deps: SessionDeps, userId: string, now = Date.now()): Promise<void> {
  const key = SessionProtocol.userRevokedKey(deps.redisPrefix, userId);
  await deps.redis.eval(
    MARK_UNLESS_BANNED,
    1,
    key,
    String(now),
    deps.sessionMaxAgeSeconds,
    SessionProtocol.banned,
  );
}
