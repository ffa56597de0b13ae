import { LiveIterator } from './LiveIterator';

test('it yields nothing and ends once: a pending read, later reads and onClose', async () => {
  let closed = 0;
  const iterator = new LiveIterator(() => closed++);
  const pending = iterator.next();
  expect(iterator.closed).toBe(false);
  await iterator.return();
  iterator.close();
  expect(await pending).toEqual({ value: undefined, done: true });
  expect(await iterator.next()).toEqual({ value: undefined, done: true });
  expect(iterator.closed).toBe(true);
  expect(closed).toBe(1);
});

test('it iterates itself, as graphql-ws reads it, until closed', async () => {
  const iterator = new LiveIterator(() => {});
  const seen: unknown[] = [];
  const reading = (async () => {
    for await (const value of iterator) seen.push(value);
  })();
  iterator.close();
  await reading;
  expect(seen).toEqual([]);
});
