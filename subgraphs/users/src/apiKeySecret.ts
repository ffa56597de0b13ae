import { createHash, randomBytes } from 'node:crypto';

/** A new API key secret: `tk_` and 32 random bytes; high entropy, so a plain SHA-256 suffices to store it. */
export function newApiKeySecret(): { secret: string; prefix: string; secretHash: string } {
  const secret = `tk_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 10), secretHash: hashApiKeySecret(secret) };
}

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
