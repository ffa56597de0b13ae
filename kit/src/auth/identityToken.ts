import { signHs256, verifyHs256 } from './hs256';

/**
 * What a caller may do. A session may do everything; an API key only what an integrator needs:
 * `read` (queries, subscriptions) and `buy` (createOrder, cancelOrder, payOrder), never `account`
 * (keys, email, password, sign-out).
 */
export type Scope = 'read' | 'buy' | 'account';

/** The scopes every API key has (keys made before scopes existed included). */
export const API_KEY_SCOPES: readonly Scope[] = ['read', 'buy'];

/** Who a request acts for, as the gateway verified it (session cookie or API key). */
export interface Identity {
  userId: string;
  sessionId?: string;
  /** The API key's id when `via` is 'apiKey'. */
  apiKeyId?: string;
  /** How the caller authenticated: a subgraph decides what it may do from this (see `hasScope`). */
  via: 'session' | 'apiKey';
  /** An API key's scopes (API_KEY_SCOPES when absent); a session has every scope. */
  scopes?: readonly Scope[];
}

/** Whether `identity` may do what `scope` covers: sessions may do anything, keys what they carry. */
export function hasScope(identity: Identity, scope: Scope): boolean {
  if (identity.via === 'session') return true;
  return (identity.scopes ?? API_KEY_SCOPES).includes(scope);
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
  scp?: Scope[];
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
    if (identity.scopes) claims.scp = [...identity.scopes];
  }
  if (clientAddress) claims.ip = clientAddress;
  return signHs256(claims, key);
}

const SCOPES = new Set<unknown>(['read', 'buy', 'account'] satisfies Scope[]);

/**
 * Verifies the gateway's token: signature (constant time), algorithm and expiry. Anything missing,
 * malformed, forged or expired yields an anonymous request, never an error.
 */
export function verifyIdentity(token: string | undefined | null, key: string): RequestIdentity {
  return readIdentity(token, key) ?? { identity: null };
}

/**
 * As `verifyIdentity`, but null when the token is missing, malformed, forged or expired: the
 * request did not come from the gateway (subgraphs refuse it). A valid token without a user is an
 * anonymous caller the gateway vouches for.
 */
export function readIdentity(token: string | undefined | null, key: string): RequestIdentity | null {
  const claims: Partial<Claims> | null = token ? verifyHs256(token, key) : null;
  if (!claims) return null;
  const anonymous: RequestIdentity = { identity: null };
  const clientAddress = typeof claims.ip === 'string' ? claims.ip : undefined;
  const via = claims.via;
  if (typeof claims.sub !== 'string' || (via !== 'session' && via !== 'apiKey')) {
    return clientAddress ? { identity: null, clientAddress } : anonymous;
  }
  const identity: Identity = { userId: claims.sub, via };
  if (typeof claims.sid === 'string') identity.sessionId = claims.sid;
  if (typeof claims.key === 'string') identity.apiKeyId = claims.key;
  // Unknown scopes are dropped, never widened: a malformed list leaves the key only what it names.
  if (Array.isArray(claims.scp)) identity.scopes = claims.scp.filter((s): s is Scope => SCOPES.has(s));
  return clientAddress ? { identity, clientAddress } : { identity };
}
