import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * Compact HS256 JSON Web Tokens on node:crypto alone: the session cookie and the gateway's identity
 * token are both checked on every request, and jsonwebtoken's general-purpose path cost the gateway
 * a few percent of its CPU. Only tokens with exactly this header are accepted (the one jsonwebtoken
 * writes for HS256, so tokens from either library verify here).
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Claims every token carries: its expiry, in seconds since the epoch. */
export interface Hs256Claims {
  exp: number;
  [claim: string]: unknown;
}

/** HMAC keys by secret, made once: createHmac with a string converts the key on every call. */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

const mac = (data: string, secret: string) => createHmac('sha256', keyFor(secret)).update(data).digest();

export function signHs256(claims: Hs256Claims, secret: string): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/**
 * The claims of a token signed with `secret` (compared in constant time) that has not expired and
 * is not used before its `nbf`; null for anything else, never a throw.
 */
export function verifyHs256(token: string, secret: string, nowMs = Date.now()): Hs256Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = mac(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
  const { exp, nbf } = claims as { exp?: unknown; nbf?: unknown };
  if (typeof exp !== 'number' || exp * 1000 <= nowMs) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > nowMs)) return null;
  return claims as Hs256Claims;
}
