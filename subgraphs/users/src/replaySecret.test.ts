import { openSecret, sealSecret } from './replaySecret';

// createApiKey's secret as its idempotency record keeps it for a retry: opened only with the
// server's key and for the API key it was sealed for.

const serverKey = 'k'.repeat(32);
const secret = 'tk_abcdefghijklmnopqrstuvwxyz0123456789';

test('sealed, the secret is not in clear and opens again for the same API key', () => {
  const sealed = sealSecret(serverKey, 'key-1', secret);
  expect(sealed).not.toContain(secret);
  expect(sealSecret(serverKey, 'key-1', secret)).not.toBe(sealed); // a fresh IV each time
  expect(openSecret(serverKey, 'key-1', sealed)).toBe(secret);
});

test('another server key, another API key id or a changed byte opens nothing', () => {
  const sealed = sealSecret(serverKey, 'key-1', secret);
  expect(openSecret('o'.repeat(32), 'key-1', sealed)).toBeNull();
  expect(openSecret(serverKey, 'key-2', sealed)).toBeNull();
  const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
  expect(openSecret(serverKey, 'key-1', tampered)).toBeNull();
  expect(openSecret(serverKey, 'key-1', 'not sealed')).toBeNull();
});
