import { signHs256 } from './hs256';
import { SessionProtocol } from './sessionProtocol';

// What users hands the gateway, and what the gateway accepts, as both read it.
const jwtKey = 'session-test-key';
const nowSeconds = () => Math.floor(Date.now() / 1000);

test('a session signed for a user verifies to that user and session until its lifetime ends', () => {
  const before = nowSeconds();
  const token = SessionProtocol.signSession('u1', 's1', { jwtKey, ttlSeconds: 900 });
  const claims = SessionProtocol.verifySession(token, jwtKey);
  expect(claims).toMatchObject({ sub: 'u1', sid: 's1' });
  expect(claims?.exp).toBeGreaterThanOrEqual(before + 900);
  expect(claims?.exp).toBeLessThanOrEqual(nowSeconds() + 900);
});

test('a session whose lifetime is over, or signed with another key, is not accepted', () => {
  expect(
    SessionProtocol.verifySession(
      SessionProtocol.signSession('u1', 's1', { jwtKey, ttlSeconds: -1 }),
      jwtKey,
    ),
  ).toBeNull();
  const token = SessionProtocol.signSession('u1', 's1', { jwtKey, ttlSeconds: 900 });
  expect(SessionProtocol.verifySession(token, 'another-key')).toBeNull();
});

test('a validly signed token without a user or a session id is not a session', () => {
  const exp = nowSeconds() + 60;
  expect(SessionProtocol.verifySession(signHs256({ sid: 's1', exp }, jwtKey), jwtKey)).toBeNull();
  expect(SessionProtocol.verifySession(signHs256({ sub: 'u1', exp }, jwtKey), jwtKey)).toBeNull();
  expect(SessionProtocol.verifySession(signHs256({ sub: 1, sid: 's1', exp }, jwtKey), jwtKey)).toBeNull();
  expect(SessionProtocol.verifySession(signHs256({ sub: 'u1', sid: 2, exp }, jwtKey), jwtKey)).toBeNull();
});

test('only the user, the session and the expiry come out of a token', () => {
  const exp = nowSeconds() + 60;
  const token = signHs256({ sub: 'u1', sid: 's1', exp, admin: true }, jwtKey);
  expect(SessionProtocol.verifySession(token, jwtKey)).toEqual({
    sub: 'u1',
    sid: 's1',
    exp,
    st: 0,
    end: SessionProtocol.maxAgeSeconds,
  });
});

test('a session never outlives its absolute end, whatever renews it', () => {
  const token = SessionProtocol.signSession('u1', 's1', { jwtKey, ttlSeconds: 900, maxAgeSeconds: 600 });
  const claims = SessionProtocol.verifySession(token, jwtKey);
  expect(claims?.exp).toBe(claims?.end);
  expect(claims?.end).toBe(Math.floor((claims?.st ?? 0) / 1000) + 600);
  const st = Date.now() - 3600_000;
  const end = Math.floor(st / 1000) + 3660;
  const renewed = SessionProtocol.renewSession(
    { sub: 'u1', sid: 's1', st, end },
    { jwtKey, ttlSeconds: 900 },
  );
  expect(SessionProtocol.verifySession(renewed, jwtKey)).toMatchObject({ sid: 's1', st, end, exp: end });
  const over = SessionProtocol.renewSession(
    { sub: 'u1', sid: 's1', st, end: end - 120 },
    { jwtKey, ttlSeconds: 900 },
  );
  expect(SessionProtocol.verifySession(over, jwtKey)).toBeNull();
});

test("a user's mark revokes sessions started before it, and every session while banned", () => {
  expect(SessionProtocol.revokedByUser(null, 5)).toBe(false);
  expect(SessionProtocol.revokedByUser('10', 5)).toBe(true);
  expect(SessionProtocol.revokedByUser('10', 10)).toBe(false);
  expect(SessionProtocol.revokedByUser('banned', Date.now())).toBe(true);
  expect(SessionProtocol.userRevokedKey('t:', 'u1')).toBe('t:session:user:u1');
});

test('users and the gateway name the same Redis keys and channel', () => {
  expect(SessionProtocol.revokedKey('t:', 's1')).toBe('t:session:revoked:s1');
  expect(SessionProtocol.apiKeyKey('t:', 'abc')).toBe('t:apikey:abc');
  expect(SessionProtocol.apiKeyUsedKey('t:', 'k1')).toBe('t:apikey:used:k1');
  expect(SessionProtocol.apiKeyRevokedChannel('t:')).toBe('t:apikey:revoked');
});
