import { signIdentity, verifyIdentity } from './identityToken';

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
