import { AsyncQueue } from './AsyncQueue';

test('values pushed before and after a pull arrive in order; closing ends iteration once', async () => {
  let closed = 0;
  const queue = new AsyncQueue<number>(() => closed++);
  queue.push(1);
  const pending = queue.next();
  const later = queue.next();
  queue.push(2);
  expect(await pending).toEqual({ value: 1, done: false });
  expect(await later).toEqual({ value: 2, done: false });

  const waiting = queue.next();
  await queue.return();
  queue.close();
  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(closed).toBe(1);
});

test('a slow reader keeps only the newest values', async () => {
  const queue = new AsyncQueue<number>(() => {}, 2);
  for (const n of [1, 2, 3]) queue.push(n);
  expect((await queue.next()).value).toBe(2);
  expect((await queue.next()).value).toBe(3);
});

test('once closed, pushes are dropped; what was pushed before is still read, then the end', async () => {
  const queue = new AsyncQueue<number>(() => {});
  queue.push(1);
  queue.close();
  queue.push(2);
  expect(await queue.next()).toEqual({ value: 1, done: false });
  expect(await queue.next()).toEqual({ value: undefined, done: true });
});

test('it iterates itself, as graphql-ws reads it', async () => {
  const queue = new AsyncQueue<number>(() => {});
  for (const n of [1, 2]) queue.push(n);
  queue.close();
  const seen: number[] = [];
  for await (const n of queue) seen.push(n);
  expect(seen).toEqual([1, 2]);
});
