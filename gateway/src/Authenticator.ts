import { type Identity, SessionProtocol } from '@ticketing/kit/auth';
import type { ApiKeys } from './ApiKeys';
import { readCookie } from './cookies';
import type { Sessions } from './Sessions';

export interface Credentials {
  /** The Authorization header (or graphql-ws connection_init `authorization`). */
  authorization?: string | undefined;
  /** The Cookie header. */
  cookie?: string | undefined;
}

export type Authentication =
  | { ok: true; identity: Identity | null; setCookie?: string[]; sessionEnded?: 'banned' }
  /** A Bearer key was given but is unknown or revoked: refused, not anonymous. */
  | { ok: false };

/** One way to know who calls, for HTTP requests and WebSocket connections alike. */
export class Authenticator {
  constructor(
    private readonly sessions: Sessions,
    private readonly apiKeys: ApiKeys,
  ) {}

  async authenticate({ authorization, cookie }: Credentials): Promise<Authentication> {
    if (authorization !== undefined) {
      const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const identity = key ? await this.apiKeys.identify(key) : null;
      return identity ? { ok: true, identity } : { ok: false };
    }
    const check = await this.sessions.check(readCookie(cookie, SessionProtocol.cookieName));
    return {
      ok: true,
      identity: check.identity,
      ...(check.setCookie ? { setCookie: check.setCookie } : {}),
      ...(check.ended ? { sessionEnded: check.ended } : {}),
    };
  }
}
