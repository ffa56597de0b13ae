import { createHmac } from 'node:crypto';
import { signHs256, verifyHs256 } from './hs256';

// Tokens a forger or a buggy client could present, each correctly signed unless said otherwise:
// only a well-formed, unexpired HS256 token with exactly our header gets through, and nothing throws.
const SECRET = 'a-secret';
const now = 1_800_000_000_000; // ms; a whole second
const seconds = now / 1000;
const b64 = (value: string) => Buffer.from(value).toString('base64url');
const HEADER = b64('{"alg":"HS256","typ":"JWT"}');
/** A token with any header and payload text, signed with the secret. */
const signedRaw = (header: string, payload: string) => {
  const body = `${header}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
};

test('the header is the one jsonwebtoken writes for HS256, so either library reads the other', () => {
  expect(signHs256({ exp: seconds + 60 }, SECRET).split('.')[0]).toBe(HEADER);
});

test('a token signed with another header is refused even with a valid signature', () => {
  expect(verifyHs256(signedRaw(HEADER, JSON.stringify({ exp: seconds + 60 })), SECRET, now)).not.toBeNull();
  for (const header of ['{"typ":"JWT","alg":"HS256"}', '{"alg":"HS512","typ":"JWT"}', '{"alg":"none"}']) {
    expect(
      verifyHs256(signedRaw(b64(header), JSON.stringify({ exp: seconds + 60 })), SECRET, now),
    ).toBeNull();
  }
});

test('a token with a part added or a signature cut short is refused', () => {
  const token = signHs256({ exp: seconds + 60 }, SECRET);
  expect(verifyHs256(`${token}.extra`, SECRET, now)).toBeNull();
  expect(verifyHs256(token.slice(0, -4), SECRET, now)).toBeNull();
  expect(verifyHs256(`${token.split('.').slice(0, 2).join('.')}.`, SECRET, now)).toBeNull();
});

test.each(['not json', '"a string"', 'null', '[1,2]', '42'])(
  'a signed payload of %s is refused',
  (payload) => {
    expect(verifyHs256(signedRaw(HEADER, payload), SECRET, now)).toBeNull();
  },
);

test('a token expires at the second its exp names', () => {
  const token = signHs256({ exp: seconds }, SECRET);
  expect(verifyHs256(token, SECRET, now - 1)).toEqual({ exp: seconds });
  expect(verifyHs256(token, SECRET, now)).toBeNull();
});

test('a token is used from the second its nbf names, and a non-numeric nbf is refused', () => {
  const token = signHs256({ exp: seconds + 60, nbf: seconds }, SECRET);
  expect(verifyHs256(token, SECRET, now - 1)).toBeNull();
  expect(verifyHs256(token, SECRET, now)).toEqual({ exp: seconds + 60, nbf: seconds });
  expect(
    verifyHs256(signHs256({ exp: seconds + 60, nbf: String(seconds - 60) }, SECRET), SECRET, now),
  ).toBeNull();
  expect(verifyHs256(signHs256({ exp: String(seconds + 60) } as never, SECRET), SECRET, now)).toBeNull();
});
