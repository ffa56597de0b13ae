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
  /** Set-Cookie values to send: a renewed token, or a clearing one for a bad cookie. */
  setCookie?: string;
}

/**
 * The gateway's side of sessions: validates the cookie's JWT (signature, HS256 only, expiry), asks
 * Redis whether its session was revoked, renews it once half its lifetime has passed, and turns the
 * token users issues into the cookie. Whatever is wrong with a cookie, the request is anonymous.
 */
export class Sessions {
  constructor(private readonly options: SessionsOptions) {}

  decode(token: string): SessionClaims | null {
    return SessionProtocol.verifySession(token, this.options.jwtKey);
  }

  async check(token: string | undefined): Promise<SessionCheck> {
    if (!token) return { identity: null };
    const claims = this.decode(token);
    const revoked =
      claims !== null &&
      (await this.options.redis.exists(SessionProtocol.revokedKey(this.options.redisPrefix, claims.sid)));
    if (!claims || revoked) return { identity: null, setCookie: this.clearCookie() };
    const identity: Identity = { userId: claims.sub, sessionId: claims.sid, via: 'session' };
    const remaining = claims.exp - Date.now() / 1000;
    if (remaining > this.options.ttlSeconds / 2) return { identity };
    const renewed = SessionProtocol.signSession(claims.sub, claims.sid, {
      jwtKey: this.options.jwtKey,
      ttlSeconds: this.options.ttlSeconds,
    });
    return { identity, setCookie: this.cookieFor(renewed) };
  }

  /** The Set-Cookie for a token users issued (empty: sign-out), or undefined when it is not valid. */
  cookieFromSubgraph(token: string): string | undefined {
    if (token === '') return this.clearCookie();
    const claims = this.decode(token);
    return claims ? this.cookieFor(token, claims.exp) : undefined;
  }

  private cookieFor(token: string, exp?: number): string {
    const maxAgeSeconds = exp ? exp - Date.now() / 1000 : this.options.ttlSeconds;
    return serializeCookie(SessionProtocol.cookieName, token, {
      maxAgeSeconds,
      secure: this.options.secureCookie,
    });
  }

  private clearCookie(): string {
    return serializeCookie(SessionProtocol.cookieName, '', {
      maxAgeSeconds: 0,
      secure: this.options.secureCookie,
    });
  }
}
