import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * An API key's secret, sealed for the idempotency record of the createApiKey that made it, so a
 * retry whose first answer was lost can show it again. AES-256-GCM under a key derived from
 * JWT_KEY (HKDF, its own label), bound to the API key's id; the record, and so the sealed secret,
 * is deleted when the key's retention ends (24 h). Without JWT_KEY the database holds nothing
 * that opens it; a changed JWT_KEY only means a retry can no longer show the secret.
 */
export function sealSecret(serverKey: string, apiKeyId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(serverKey), iv);
  cipher.setAAD(Buffer.from(apiKeyId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The secret, or null when `sealed` was not sealed for this API key under this server key. */
export function openSecret(serverKey: string, apiKeyId: string, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(serverKey), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(apiKeyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

const keyOf = (serverKey: string) =>
  Buffer.from(hkdfSync('sha256', serverKey, 'ticketing', 'createApiKey replay secret v1', 32));
