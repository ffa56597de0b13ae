import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A password-reset token: `<user id>.<32 random bytes, base64url>`. The id finds the account by
 * `_id` (an indexed read everywhere); only the SHA-256 of the whole token is stored, so a copy of
 * the database resets nothing.
 */
export function newResetToken(userId: string): { token: string; tokenHash: string } {
  const token = `${userId}.${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashResetToken(token) };
}

export const hashResetToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The user id a token names, or null when it is not shaped like one. */
export function resetTokenUser(token: string): string | null {
  const m = /^([0-9a-f]{24})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m?.[1] ?? null;
}

/** Whether `token` is the one whose hash is stored, in constant time. */
export function resetTokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashResetToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
