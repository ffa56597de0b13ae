import { signHs256 } from './hs256';
import {
  hasScope,
  type Identity,
  type RequestIdentity,
  type Scope,
  signIdentity,
  verifyIdentity,
} from './identityToken';

// What a subgraph learns from the gateway's token, for each kind of caller, and from tokens
// carrying claims the gateway never writes.
const key = 'test-internal-key';
const roundTrip = (value: RequestIdentity) => verifyIdentity(signIdentity(value, key), key);
const exp = () => Math.floor(Date.now() / 1000) + 60;

test('an anonymous caller keeps its address, and without one is just anonymous', () => {
  expect(roundTrip({ identity: null, clientAddress: '10.0.0.2' })).toStrictEqual({
    identity: null,
    clientAddress: '10.0.0.2',
  });
  expect(roundTrip({ identity: null })).toStrictEqual({ identity: null });
});

test('an API key caller comes out with its key and no session; a session caller with its session only', () => {
  expect(roundTrip({ identity: { userId: 'u1', via: 'apiKey', apiKeyId: 'k1' } })).toStrictEqual({
    identity: { userId: 'u1', via: 'apiKey', apiKeyId: 'k1' },
  });
  expect(roundTrip({ identity: { userId: 'u1', via: 'session', sessionId: 's1' } })).toStrictEqual({
    identity: { userId: 'u1', via: 'session', sessionId: 's1' },
  });
});

test('a token lives for the lifetime asked, 60 seconds by default', () => {
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
  const before = Math.floor(Date.now() / 1000);
  expect(claimsOf(signIdentity({ identity: null }, key)).exp - before).toBeGreaterThanOrEqual(60);
  expect(claimsOf(signIdentity({ identity: null }, key)).exp - before).toBeLessThanOrEqual(61);
  expect(claimsOf(signIdentity({ identity: null }, key, 5)).exp - before).toBeLessThanOrEqual(6);
});

test.each([
  ['no user', { via: 'session', ip: '10.0.0.3' }],
  ['a user that is not a string', { sub: 7, via: 'session', ip: '10.0.0.3' }],
  ['an unknown way in', { sub: 'u1', via: 'password', ip: '10.0.0.3' }],
  ['no way in', { sub: 'u1', ip: '10.0.0.3' }],
])('a signed token with %s is anonymous but keeps the address', (_, claims) => {
  expect(verifyIdentity(signHs256({ ...claims, exp: exp() }, key), key)).toStrictEqual({
    identity: null,
    clientAddress: '10.0.0.3',
  });
});

test('session and key ids that are not strings are left out, as is an address that is not one', () => {
  const token = signHs256({ sub: 'u1', via: 'apiKey', sid: 1, key: 2, ip: 3, exp: exp() }, key);
  expect(verifyIdentity(token, key)).toStrictEqual({ identity: { userId: 'u1', via: 'apiKey' } });
  expect(verifyIdentity(signHs256({ sub: 'u1', via: 'session', exp: exp() }, key), key)).toStrictEqual({
    identity: { userId: 'u1', via: 'session' },
  });
});

describe('scopes', () => {
  const apiKey = (scopes?: Scope[]): Identity => ({ userId: 'u1', via: 'apiKey', apiKeyId: 'k1', scopes });

  test('a session may do everything', () => {
    for (const scope of ['read', 'buy', 'account'] as const) {
      expect(hasScope({ userId: 'u1', via: 'session', scopes: [] }, scope)).toBe(true);
    }
  });

  test('a key without scopes (made before they existed) may read and buy, never touch the account', () => {
    expect(['read', 'buy', 'account'].map((s) => hasScope(apiKey(), s as Scope))).toEqual([
      true,
      true,
      false,
    ]);
  });

  test('a key may do only what its scopes name', () => {
    expect(['read', 'buy', 'account'].map((s) => hasScope(apiKey(['read']), s as Scope))).toEqual([
      true,
      false,
      false,
    ]);
  });

  test("a key's scopes reach the subgraph as the gateway signed them", () => {
    expect(roundTrip({ identity: apiKey(['read']) })).toStrictEqual({
      identity: { userId: 'u1', via: 'apiKey', apiKeyId: 'k1', scopes: ['read'] },
    });
  });

  test('unknown scopes in a token are dropped, never widened', () => {
    const token = signHs256(
      { sub: 'u1', via: 'apiKey', scp: ['read', 'admin', 7, 'account'], exp: exp() },
      key,
    );
    expect(verifyIdentity(token, key).identity?.scopes).toEqual(['read', 'account']);
    const notAList = signHs256({ sub: 'u1', via: 'apiKey', scp: 'account', exp: exp() }, key);
    expect(verifyIdentity(notAList, key).identity).toStrictEqual({ userId: 'u1', via: 'apiKey' });
  });
});
