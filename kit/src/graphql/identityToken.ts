import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

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

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

interface Claims {
  sub?: string;
  sid?: string;
  key?: string;
  via?: 'session' | 'apiKey';
  ip?: string;
  exp: number;
}

/** HMAC keys by secret, made once: createHmac with a string converts the key on every call. */
const keys = new Map<string, KeyObject>();
const keyFor = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
};
const sign = (data: string, secret: string) => createHmac('sha256', keyFor(secret)).update(data).digest();

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
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign(body, key).toString('base64url')}`;
}

/**
 * Verifies the gateway's token: signature (constant time), algorithm and expiry. Anything missing,
 * malformed, forged or expired yields an anonymous request, never an error.
 */
export function verifyIdentity(token: string | undefined | null, key: string): RequestIdentity {
  const anonymous: RequestIdentity = { identity: null };
  if (!token) return anonymous;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return anonymous;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = sign(`${header}.${payload}`, key);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return anonymous;
  let claims: Partial<Claims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
  } catch {
    return anonymous;
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return anonymous;
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
