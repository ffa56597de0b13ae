import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A short secret handed from one service to another through a domain event (a password-reset
 * token for the email worker): AES-256-GCM under a key derived from a key both hold (HKDF with
 * `purpose` as its label), bound to `context` (e.g. the event's aggregate). The event, the outbox
 * and the stream hold only this; a reader without the key learns nothing from them.
 */
export function sealText(serverKey: string, purpose: string, context: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(serverKey, purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The text, or null when `sealed` was not sealed for this purpose and context under this key. */
export function openText(serverKey: string, purpose: string, context: string, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(serverKey, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

const keyOf = (serverKey: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', serverKey, 'ticketing', purpose, 32));
