import { signHs256, verifyHs256 } from './hs256';

const SECRET = 'a-secret';
const now = Date.now();
const inSeconds = (s: number) => Math.floor(now / 1000) + s;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a token signed with the secret verifies to its claims until it expires', () => {
  const token = signHs256({ sub: 'u1', exp: inSeconds(60) }, SECRET);
  expect(verifyHs256(token, SECRET, now)).toEqual({ sub: 'u1', exp: inSeconds(60) });
  expect(verifyHs256(token, SECRET, now + 61_000)).toBeNull();
});

test('another secret, a changed payload, another algorithm or no expiry: null, never a throw', () => {
  const [header, , signature] = signHs256({ sub: 'u1', exp: inSeconds(60) }, SECRET).split('.');
  const changed = `${header}.${b64({ sub: 'u2', exp: inSeconds(60) })}.${signature}`;
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', exp: inSeconds(60) })}.`;
  const bad = [
    signHs256({ sub: 'u1', exp: inSeconds(60) }, 'other-secret'),
    changed,
    none,
    signHs256({ sub: 'u1' } as never, SECRET),
    signHs256({ sub: 'u1', exp: inSeconds(60), nbf: inSeconds(30) }, SECRET),
    `${header}.${Buffer.from('not json').toString('base64url')}.${signature}`,
    'garbage',
    '',
  ];
  for (const token of bad) expect(verifyHs256(token, SECRET, now)).toBeNull();
});
