import { signHs256, verifyHs256 } from './hs256';

/** Who a request acts for, as the gateway verified it (session cookie or API key). */
export interface Identity {
  userId: string;
  sessionId?: string;
  /** The API key's id when `via` is 'apiKey'. */
  apiKeyId?: string;
  via: 'session' | 'apiKey';
}

/** What the gateway tells a subgraph about a request: the identity (if any) and the caller's address. */
export interface RequestIdentity {
  identity: Identity | null;
  clientAddress?: string;
}

/** The header the gateway sets on every subgraph request. */
export const IDENTITY_HEADER = 'x-identity';

/** A development-only key; INTERNAL_JWT_KEY is required in production. */
export const DEV_INTERNAL_JWT_KEY = 'dev-internal-key-not-for-production';

/** A type, not an interface, so it fits the codec's open claims record. */
type Claims = {
  sub?: string;
  sid?: string;
  key?: string;
  via?: 'session' | 'apiKey';
  ip?: string;
  exp: number;
};

/**
 * Signs what the gateway forwards to subgraphs as a short-lived HS256 JWT (node:crypto only: it is
 * made on every subgraph request, so it must be cheap). Default lifetime 60 s.
 */
export function signIdentity(value: RequestIdentity, key: string, ttlSeconds = 60): string {
  const { identity, clientAddress } = value;
  const claims: Claims = { exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  if (identity) {
    claims.sub = identity.userId;
    claims.via = identity.via;
    if (identity.sessionId) claims.sid = identity.sessionId;
    if (identity.apiKeyId) claims.key = identity.apiKeyId;
  }
  if (clientAddress) claims.ip = clientAddress;
  return signHs256(claims, key);
}

/**
 * Verifies the gateway's token: signature (constant time), algorithm and expiry. Anything missing,
 * malformed, forged or expired yields an anonymous request, never an error.
 */
export function verifyIdentity(token: string | undefined | null, key: string): RequestIdentity {
  const anonymous: RequestIdentity = { identity: null };
  const claims: Partial<Claims> | null = token ? verifyHs256(token, key) : null;
  if (!claims) return anonymous;
  const clientAddress = typeof claims.ip === 'string' ? claims.ip : undefined;
  const via = claims.via;
  if (typeof claims.sub !== 'string' || (via !== 'session' && via !== 'apiKey')) {
    return clientAddress ? { identity: null, clientAddress } : anonymous;
  }
  const identity: Identity = { userId: claims.sub, via };
  if (typeof claims.sid === 'string') identity.sessionId = claims.sid;
  if (typeof claims.key === 'string') identity.apiKeyId = claims.key;
  return clientAddress ? { identity, clientAddress } : { identity };
}
