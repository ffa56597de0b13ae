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
