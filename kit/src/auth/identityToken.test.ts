import { signHs256 } from './hs256';
import { hasScope, readIdentity, signIdentity, verifyIdentity } from './identityToken';

const key = 'test-internal-key';

test('a token signed with the key yields the identity and the client address', () => {
  const token = signIdentity(
    { identity: { userId: 'u1', sessionId: 's1', via: 'session' }, clientAddress: '10.0.0.1' },
    key,
  );
  expect(verifyIdentity(token, key)).toEqual({
    identity: { userId: 'u1', sessionId: 's1', via: 'session' },
    clientAddress: '10.0.0.1',
  });
});

test('a token with another key, altered, expired or missing is anonymous', () => {
  const token = signIdentity({ identity: { userId: 'u1', via: 'apiKey', apiKeyId: 'k1' } }, key);
  const [h, p, s] = token.split('.') as [string, string, string];
  const altered = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'u2' }),
  );
  expect(verifyIdentity(token, 'other-key')).toEqual({ identity: null });
  expect(verifyIdentity(`${h}.${altered.toString('base64url')}.${s}`, key)).toEqual({ identity: null });
  expect(verifyIdentity(signIdentity({ identity: { userId: 'u1', via: 'session' } }, key, -1), key)).toEqual({
    identity: null,
  });
  expect(verifyIdentity(undefined, key)).toEqual({ identity: null });
});

test('readIdentity tells a request not from the gateway (null) from an anonymous caller it vouches for', () => {
  expect(readIdentity(undefined, key)).toBeNull();
  expect(readIdentity('not-a-token', key)).toBeNull();
  expect(readIdentity(signIdentity({ identity: null }, 'other-key'), key)).toBeNull();
  expect(readIdentity(signIdentity({ identity: null }, key, -1), key)).toBeNull();
  expect(readIdentity(signIdentity({ identity: null, clientAddress: '10.0.0.9' }, key), key)).toEqual({
    identity: null,
    clientAddress: '10.0.0.9',
  });
});

test("an API key's scopes travel to the subgraph; unknown ones are dropped, never widened", () => {
  const token = signIdentity(
    { identity: { userId: 'u1', via: 'apiKey', apiKeyId: 'k1', scopes: ['read', 'buy'] } },
    key,
  );
  expect(readIdentity(token, key)?.identity).toEqual({
    userId: 'u1',
    via: 'apiKey',
    apiKeyId: 'k1',
    scopes: ['read', 'buy'],
  });
  const odd = signHs256(
    { sub: 'u1', via: 'apiKey', scp: ['read', 'admin', 7], exp: Date.now() / 1000 + 60 },
    key,
  );
  expect(readIdentity(odd, key)?.identity?.scopes).toEqual(['read']);
});

test('a session may do everything; a key reads and buys but never touches the account', () => {
  expect(hasScope({ userId: 'u1', via: 'session' }, 'account')).toBe(true);
  expect(hasScope({ userId: 'u1', via: 'apiKey' }, 'read')).toBe(true);
  expect(hasScope({ userId: 'u1', via: 'apiKey' }, 'buy')).toBe(true);
  expect(hasScope({ userId: 'u1', via: 'apiKey' }, 'account')).toBe(false);
  expect(hasScope({ userId: 'u1', via: 'apiKey', scopes: ['read'] }, 'buy')).toBe(false);
});
