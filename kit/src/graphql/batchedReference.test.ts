import { batchedReference } from './batchedReference';

test('references of one request are loaded once per distinct id, all at once, per request context', async () => {
  const loaded: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const resolve = batchedReference(async (id: string) => {
    loaded.push(id);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight -= 1;
    return id === 'missing' ? null : { id, name: `user ${id}` };
  });
  const ctx = {};
  const found = await Promise.all(['a', 'b', 'a', 'missing'].map((id) => resolve({ id }, ctx)));
  expect(found).toEqual([
    { id: 'a', name: 'user a' },
    { id: 'b', name: 'user b' },
    { id: 'a', name: 'user a' },
    null,
  ]);
  expect(loaded).toEqual(['a', 'b', 'missing']);
  expect(mostInFlight).toBe(3);
  await resolve({ id: 'a' }, {});
  expect(loaded).toEqual(['a', 'b', 'missing', 'a']);
});

test('a reference without a string id resolves to null without loading', async () => {
  const resolve = batchedReference(async (id: string) => ({ id }));
  await expect(resolve({ id: 42 }, {})).resolves.toBeNull();
  await expect(resolve({}, {})).resolves.toBeNull();
});
