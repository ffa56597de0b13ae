import { signHs256, verifyHs256 } from './hs256';

/**
 * What the users subgraph and the gateway agree on about sessions and API keys. users signs the
 * session JWT (JWT_KEY) and hands it to the gateway in a response header; the gateway sets the
 * cookie, strips the header, and checks signature, expiry and the Redis revocation list per request.
 * API keys are found by the SHA-256 of the secret in Redis (users writes it, the gateway reads it).
 */
export const SessionProtocol = {
  /** Response header from users to the gateway: a new session token, or empty to clear the cookie. */
  header: 'x-session-token',
  cookieName: 'session',
  /**
   * Response header from the gateway when a request's session cookie stopped working because its
   * account is banned (value `banned`), so a client (the web's server) can say so instead of only
   * "signed out". Sent only to the holder of that account's cookie, which was valid before the ban.
   */
  endedHeader: 'session-ended',
  /**
   * The cookie the gateway leaves in place of a session cookie it clears because the account is
   * banned (value `banned`, for the absolute session lifetime; cleared by the next sign-in). The
   * browser's own requests (a live page polling) are what clear the session cookie, so without it
   * the next page could no longer say why the visitor is signed out.
   */
  endedCookieName: 'session_ended',
  /** Development-only signing key; JWT_KEY is required in production. */
  devJwtKey: 'dev-jwt-key-not-for-production',
  /** Default session lifetime; the gateway renews a live session once half of it has passed. */
  ttlSeconds: 900,
  /** Default absolute lifetime (7 days): past it no renewal extends a session, however active. */
  maxAgeSeconds: 7 * 24 * 3600,
  /**
   * A new session's token (HS256 JWT) for `userId`, valid for `ttlSeconds`, signed with JWT_KEY. It
   * carries its start (`st`, ms) and its absolute end (`end`, s: start + `maxAgeSeconds`), which
   * every renewal keeps, so whoever renews needs no setting of its own.
   */
  signSession(
    userId: string,
    sessionId: string,
    key: { jwtKey: string; ttlSeconds: number; maxAgeSeconds?: number },
  ): string {
    const st = Date.now();
    const end = Math.floor(st / 1000) + (key.maxAgeSeconds ?? SessionProtocol.maxAgeSeconds);
    return SessionProtocol.renewSession({ sub: userId, sid: sessionId, st, end }, key);
  },
  /** The same session's token again, for `ttlSeconds` more but never past its absolute end. */
  renewSession(
    claims: Pick<SessionClaims, 'sub' | 'sid' | 'st' | 'end'>,
    key: { jwtKey: string; ttlSeconds: number },
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const { sub, sid, st, end } = claims;
    return signHs256({ sid, sub, iat: now, st, end, exp: Math.min(now + key.ttlSeconds, end) }, key.jwtKey);
  },
  /** The user, session, start and expiries of a token signed with `jwtKey` that has not expired; else null. */
  verifySession(token: string, jwtKey: string): SessionClaims | null {
    const claims = verifyHs256(token, jwtKey);
    if (!claims || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
    // A token from before `st` and `end` existed counts from when it was last issued.
    const st =
      typeof claims.st === 'number' ? claims.st : typeof claims.iat === 'number' ? claims.iat * 1000 : 0;
    const end =
      typeof claims.end === 'number' ? claims.end : Math.floor(st / 1000) + SessionProtocol.maxAgeSeconds;
    return { sub: claims.sub, sid: claims.sid, exp: claims.exp, st, end };
  },
  /** Redis key marking a session as revoked (kept for the session lifetime). */
  revokedKey: (prefix: string, sessionId: string) => `${prefix}session:revoked:${sessionId}`,
  /**
   * Redis key revoking every session of a user at once (sign-out everywhere, a password change, a
   * ban): `banned` while the account is banned, else the time (ms) before which its sessions
   * started are revoked (kept for the absolute session lifetime).
   */
  userRevokedKey: (prefix: string, userId: string) => `${prefix}session:user:${userId}`,
  banned: 'banned',
  /** Whether the user's mark (the value at userRevokedKey, or null) revokes a session started at `startedAt` (ms). */
  revokedByUser(mark: string | null, startedAt: number): boolean {
    if (mark === null) return false;
    if (mark === SessionProtocol.banned) return true;
    return startedAt < Number(mark);
  },
  /** Redis key of an API key: its secret's SHA-256 (hex) → JSON `{ userId, keyId }`. */
  apiKeyKey: (prefix: string, secretHash: string) => `${prefix}apikey:${secretHash}`,
  /** Redis key holding when an API key was last used (ms since epoch), written by the gateway. */
  apiKeyUsedKey: (prefix: string, keyId: string) => `${prefix}apikey:used:${keyId}`,
  /** Redis channel announcing a revoked API key's hash, so gateways drop it from their cache. */
  apiKeyRevokedChannel: (prefix: string) => `${prefix}apikey:revoked`,
} as const;

/** What users keeps in Redis for each active API key, and the gateway reads on every keyed request. */
export interface ApiKeyRecord {
  userId: string;
  keyId: string;
  /** When the key stops working (ms since the epoch); absent: never. Redis drops the record then too. */
  expiresAt?: number;
}

/**
 * What a session token says: the user (`sub`), the session (`sid`), its expiry (`exp`, s), its
 * start (`st`, ms) and the absolute end no renewal passes (`end`, s).
 */
export interface SessionClaims {
  sub: string;
  sid: string;
  exp: number;
  st: number;
  end: number;
}
