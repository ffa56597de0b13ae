import type { GraphQLError } from 'graphql';
import { normalizeEmail, PASSWORD_MAX, PASSWORD_MIN, validateCredentials } from './validation';

// Sign-up input as a user types it: the email stored, or BAD_USER_INPUT naming every bad field.
function refusal(email: string, password: string) {
  try {
    validateCredentials(email, password);
  } catch (err) {
    const { extensions, message } = err as GraphQLError;
    return { code: extensions.code, message, fields: extensions.fields };
  }
  throw new Error('accepted');
}
const badEmail = { field: 'email', message: 'must be a valid email address' };
const badPassword = { field: 'password', message: 'must be 8 to 128 characters' };
const password = 'x'.repeat(PASSWORD_MIN);

test('given an email with spaces and capitals, it is stored trimmed and lower-cased', () => {
  expect(validateCredentials('  Ann.Lee@Example.COM ', password)).toBe('ann.lee@example.com');
  expect(normalizeEmail(' A@B.CO ')).toBe('a@b.co');
});

test.each([
  ['no @', 'ann.example.com'],
  ['two @', 'ann@lee@example.com'],
  ['a space inside', 'ann lee@example.com'],
  ['a space after the domain', 'ann@example.com x'],
  ['a second @ after the domain', 'ann@example.com@x'],
  ['no dot in the domain', 'ann@example'],
  ['nothing before the @', '@example.com'],
  ['nothing after the dot', 'ann@example.'],
  ['more than 254 characters', `${'a'.repeat(243)}@example.com`],
])('given an email with %s, it is refused', (_, email) => {
  expect(refusal(email, password)).toEqual({
    code: 'BAD_USER_INPUT',
    message: 'Invalid input',
    fields: [badEmail],
  });
});

test('given an email of exactly 254 characters, it is accepted', () => {
  const email = `${'a'.repeat(242)}@example.com`;
  expect(email).toHaveLength(254);
  expect(validateCredentials(email, password)).toBe(email);
});

test.each([
  [PASSWORD_MIN - 1, false],
  [PASSWORD_MIN, true],
  [PASSWORD_MAX, true],
  [PASSWORD_MAX + 1, false],
])('given a password of %p characters, accepted: %p', (length, accepted) => {
  const attempt = () => validateCredentials('ann@example.com', 'p'.repeat(length));
  if (accepted) expect(attempt()).toBe('ann@example.com');
  else expect(refusal('ann@example.com', 'p'.repeat(length)).fields).toEqual([badPassword]);
});

test('given a bad email and a bad password, both are named', () => {
  expect(refusal('nope', 'short').fields).toEqual([badEmail, badPassword]);
});
