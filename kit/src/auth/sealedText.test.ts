import { openText, sealText } from './sealedText';

// A secret sealed by one service for another opens only with the same key, purpose and context.
test('sealed text opens with its key, purpose and context only', () => {
  const sealed = sealText('server-key', 'reset v1', 'user-1', 'the token');
  expect(sealed).not.toContain('the token');
  expect(openText('server-key', 'reset v1', 'user-1', sealed)).toBe('the token');
  expect(openText('other-key', 'reset v1', 'user-1', sealed)).toBeNull();
  expect(openText('server-key', 'other v1', 'user-1', sealed)).toBeNull();
  expect(openText('server-key', 'reset v1', 'user-2', sealed)).toBeNull();
  expect(openText('server-key', 'reset v1', 'user-1', `${sealed.slice(0, -2)}xx`)).toBeNull();
});
