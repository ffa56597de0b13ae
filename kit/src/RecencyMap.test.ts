import { RecencyMap } from './RecencyMap';

// What a process keeps in memory stays within its bound, and what is used stays longest.

test('past its bound the least recently used entry goes; a get counts as a use, a peek does not', () => {
  const held = new RecencyMap<string, number>(2);
  held.set('a', 1);
  held.set('b', 2);
  expect(held.get('a')).toBe(1); // b is now the least recent
  held.set('c', 3);
  expect([held.peek('a'), held.peek('b'), held.peek('c')]).toEqual([1, undefined, 3]);
  expect(held.peek('a')).toBe(1); // a stays the least recent after a peek
  held.set('d', 4);
  expect([held.peek('a'), held.peek('c'), held.peek('d')]).toEqual([undefined, 3, 4]);
  expect(held.size).toBe(2);
});

test('setting an entry again replaces it as the most recent; delete and clear empty it', () => {
  const held = new RecencyMap<string, number>(2);
  held.set('a', 1);
  held.set('b', 2);
  held.set('a', 10);
  held.set('c', 3);
  expect([held.peek('a'), held.peek('b')]).toEqual([10, undefined]);
  held.delete('a');
  expect(held.size).toBe(1);
  held.clear();
  expect(held.size).toBe(0);
});

test('has says whether a key is held without making it more recent', () => {
  const held = new RecencyMap<string, true>(2);
  held.set('a', true);
  held.set('b', true);
  expect([held.has('a'), held.has('z')]).toEqual([true, false]);
  held.set('c', true); // a, not made recent by has, goes
  expect([held.has('a'), held.has('b'), held.has('c')]).toEqual([false, true, true]);
});
