import type { Identity, SessionClaims } from '@ticketing/kit/auth';
import { SessionProtocol } from '@ticketing/kit/auth';
import type { Redis } from 'ioredis';
import { serializeCookie } from './cookies';

export interface SessionsOptions {
  redis: Redis;
  redisPrefix: string;
  jwtKey: string;
  ttlSeconds: number;
  secureCookie: boolean;
}

export interface SessionCheck {
  identity: Identity | null;
  /** Set-Cookie values to send: a renewed token, or clearing ones for a bad cookie. */
  setCookie?: string[];
  /** Why a cookie that was valid stopped working, when the caller should be told: its account is banned. */
  ended?: 'banned';
}

/**
 * The gateway's side of sessions: validates the cookie's JWT (signature, HS256 only, expiry), asks
 * Redis in one round trip whether its session was revoked (sign-out) or its user's sessions were
 * (sign-out everywhere, a password change: those started before a time; a ban: all of them),
 * renews it once half its lifetime has passed (never past its absolute end), and turns the token
 * users issues into the cookie. Whatever is wrong with a cookie, the request is anonymous.
 */
export class Sessions {
  constructor(private readonly options: SessionsOptions) {}

  decode(token: string): SessionClaims | null {
    return SessionProtocol.verifySession(token, this.options.jwtKey);
  }

  async check(token: string | undefined): Promise<SessionCheck> {
    if (!token) return { identity: null };
    const claims = this.decode(token);
    if (!claims) return { identity: null, setCookie: [this.clearCookie()] };
    const revoked = await this.revoked(claims);
    if (revoked === 'banned')
      return { identity: null, setCookie: [this.clearCookie(), this.bannedCookie()], ended: 'banned' };
    if (revoked) return { identity: null, setCookie: [this.clearCookie()] };
    const identity: Identity = { userId: claims.sub, sessionId: claims.sid, via: 'session' };
    const now = Date.now() / 1000;
    const remaining = claims.exp - now;
    // Near its absolute end there is nothing to renew: it ends then whatever the cookie says.
    if (remaining > this.options.ttlSeconds / 2 || claims.exp >= claims.end) return { identity };
    const renewed = SessionProtocol.renewSession(claims, {
      jwtKey: this.options.jwtKey,
      ttlSeconds: this.options.ttlSeconds,
    });
    return { identity, setCookie: [this.cookieFor(renewed)] };
  }

  /** Whether the session was revoked, and `banned` when its account's ban is why. */
  private async revoked(claims: SessionClaims): Promise<boolean | 'banned'> {
    const { redis, redisPrefix } = this.options;
    const [session, user] = await redis.mget(
      SessionProtocol.revokedKey(redisPrefix, claims.sid),
      SessionProtocol.userRevokedKey(redisPrefix, claims.sub),
    );
    if (user === SessionProtocol.banned) return 'banned';
    return session !== null || SessionProtocol.revokedByUser(user ?? null, claims.st);
  }

  /**
   * The Set-Cookie values for a token users issued (empty: sign-out), or none when it is not valid.
   * A new session also clears the mark of a banned one (the account was unbanned since).
   */
  cookiesFromSubgraph(token: string): string[] {
    if (token === '') return [this.clearCookie()];
    const claims = this.decode(token);
    return claims ? [this.cookieFor(token, claims.exp), this.clear(SessionProtocol.endedCookieName)] : [];
  }

  private cookieFor(token: string, exp?: number): string {
    const maxAgeSeconds = exp ? exp - Date.now() / 1000 : this.options.ttlSeconds;
    return serializeCookie(SessionProtocol.cookieName, token, {
      maxAgeSeconds,
      secure: this.options.secureCookie,
    });
  }

  private clearCookie(): string {
    return this.clear(SessionProtocol.cookieName);
  }

  /** Says, after the session cookie is gone, that a ban ended it (SessionProtocol.endedCookieName). */
  private bannedCookie(): string {
    return serializeCookie(SessionProtocol.endedCookieName, SessionProtocol.banned, {
      maxAgeSeconds: SessionProtocol.maxAgeSeconds,
      secure: this.options.secureCookie,
    });
  }

  private clear(name: string): string {
    return serializeCookie(name, '', { maxAgeSeconds: 0, secure: this.options.secureCookie });
  }
}
