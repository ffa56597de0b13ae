import { batchedReference } from './batchedReference';

test('references resolved together are loaded with one call, per request context', async () => {
  const calls: string[][] = [];
  const resolve = batchedReference(async (ids: string[]) => {
    calls.push(ids);
    return ids.filter((id) => id !== 'missing').map((id) => ({ id, name: `user ${id}` }));
  });
  const ctx = {};
  const found = await Promise.all(['a', 'b', 'a', 'missing'].map((id) => resolve({ id }, ctx)));
  expect(found).toEqual([
    { id: 'a', name: 'user a' },
    { id: 'b', name: 'user b' },
    { id: 'a', name: 'user a' },
    null,
  ]);
  expect(calls).toEqual([['a', 'b', 'missing']]);
  await resolve({ id: 'c' }, {});
  expect(calls).toHaveLength(2);
});
