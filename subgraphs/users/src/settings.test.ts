import { DEV_INTERNAL_JWT_KEY, SessionProtocol } from '@ticketing/kit/auth';
import { readUsersSettings } from './settings';

// Issue 14, point 8: a production users service refuses to start with a development key.

const real = { JWT_KEY: 'j'.repeat(48), INTERNAL_JWT_KEY: 'i'.repeat(48) };

test('given production and real keys, it starts, listening on loopback unless HOST says otherwise', () => {
  expect(readUsersSettings({ NODE_ENV: 'production', ...real })).toMatchObject({
    ...real,
    HOST: '127.0.0.1',
  });
  expect(readUsersSettings({ NODE_ENV: 'production', ...real, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
});

test.each([
  ['JWT_KEY', SessionProtocol.devJwtKey],
  ['INTERNAL_JWT_KEY', DEV_INTERNAL_JWT_KEY],
  ['JWT_KEY', 'change-me-session-signing-key'],
])('given production and %s=%s, it refuses to start, naming the key', (name, value) => {
  expect(() => readUsersSettings({ NODE_ENV: 'production', ...real, [name]: value })).toThrow(
    new RegExp(`${name}: is a development or placeholder value`),
  );
});
