import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Argon2id at OWASP's Password Storage Cheat Sheet minimum (19 MiB, 2 passes, 1 lane): its first
 * choice, and far cheaper per sign-in than its scrypt equivalent (N=2^17 needs 128 MiB each). The
 * PHC string keeps the parameters beside each hash (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
 */
export const ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// A const enum in the binding's types: its value, as the type-checker cannot inline it across packages.
const ARGON2ID_ALGORITHM = 2 as Algorithm;
const options = { ...ARGON2ID, algorithm: ARGON2ID_ALGORITHM };

/** The hash of a new password: argon2id with a random salt, parameters included. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), options);
}

/** A hash of a password nobody has, to compare against when the email is unknown (same work). */
export const DUMMY_HASH = `$argon2id$v=19$m=${ARGON2ID.memoryCost},t=${ARGON2ID.timeCost},p=${ARGON2ID.parallelism}$${randomBytes(16).toString('base64').replace(/=+$/, '')}$${randomBytes(32).toString('base64').replace(/=+$/, '')}`;

/** Compares in constant time, with the parameters stored in the hash; false for a malformed one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) {
    try {
      return await verify(stored, password.normalize('NFKC'));
    } catch {
      return false;
    }
  }
  return verifyLegacyScrypt(password, stored);
}

/**
 * Whether a stored hash is weaker than what hashPassword makes now (an older algorithm or smaller
 * parameters): signIn then stores a new one, made from the password it just checked.
 */
export function needsRehash(stored: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) return true;
  const [m, t, p] = match.slice(1).map(Number) as [number, number, number];
  return m < ARGON2ID.memoryCost || t < ARGON2ID.timeCost || p < ARGON2ID.parallelism;
}

/** Hashes made before argon2id: `scrypt$<salt>$<hash>` (base64url), N=2^14, r=8, p=1. */
function verifyLegacyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, digest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !digest) return Promise.resolve(false);
  const expected = Buffer.from(digest, 'base64url');
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      Buffer.from(salt, 'base64url'),
      expected.length,
      { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(timingSafeEqual(key, expected))),
    ),
  );
}
