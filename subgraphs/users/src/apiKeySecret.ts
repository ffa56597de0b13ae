import { createHash, randomBytes } from 'node:crypto';

/** A new API key secret: `tk_` and 32 random bytes; high entropy, so a plain SHA-256 suffices to store it. */
export function newApiKeySecret(): ApiKeySecret {
  return apiKeySecret(`tk_${randomBytes(32).toString('base64url')}`);
}

export interface ApiKeySecret {
  secret: string;
  prefix: string;
  secretHash: string;
}

/** A secret with the prefix and the hash stored for it. */
export const apiKeySecret = (secret: string): ApiKeySecret => ({
  secret,
  prefix: secret.slice(0, 10),
  secretHash: hashApiKeySecret(secret),
});

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
