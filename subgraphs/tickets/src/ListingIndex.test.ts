import { Types } from 'mongoose';
import { type ListedTicket, ListingIndex } from './ListingIndex';

// The listing's read model: newest first (createdAt, then id), keyset pages, versions decide.

let clock = Date.parse('2030-01-01T00:00:00Z');
/** Each one listed a second after the previous one. */
function nextSecond(): Date {
  clock += 1000;
  return new Date(clock);
}
const ticket = (over: Partial<ListedTicket> = {}): ListedTicket => ({
  id: new Types.ObjectId().toHexString(),
  createdAt: nextSecond(),
  title: 'Opera',
  priceCents: 1000,
  currency: 'USD',
  sellerId: 'seller',
  status: 'AVAILABLE',
  reservedUntil: null,
  version: 1,
  ...over,
});
const ids = (page: { tickets: ListedTicket[] } | null) => page?.tickets.map((t) => t.id);
const after = (t: ListedTicket) => ({ createdAt: t.createdAt, id: t.id });

test('pages are newest first, each after the cursor, with hasNextPage until the last', () => {
  const [a, b, c, d, e] = [ticket(), ticket(), ticket(), ticket(), ticket()] as const;
  const index = new ListingIndex();
  index.load([c, a, e, b, d].map((t) => t));

  const first = index.page({ first: 2, after: null, status: null });
  expect(ids(first)).toEqual([e.id, d.id]);
  expect(first?.hasNextPage).toBe(true);
  const second = index.page({ first: 2, after: after(d), status: null });
  expect(ids(second)).toEqual([c.id, b.id]);
  const last = index.page({ first: 2, after: after(b), status: null });
  expect(ids(last)).toEqual([a.id]);
  expect(last?.hasNextPage).toBe(false);
});

test('tickets created in the same millisecond are ordered by id, and the cursor splits them', () => {
  const at = new Date(clock);
  const low = ticket({ id: `${'0'.repeat(23)}1`, createdAt: at });
  const high = ticket({ id: `${'f'.repeat(23)}1`, createdAt: at });
  const index = new ListingIndex();
  index.apply(low);
  index.apply(high);
  expect(ids(index.page({ first: 1, after: null, status: null }))).toEqual([high.id]);
  expect(ids(index.page({ first: 5, after: after(high), status: null }))).toEqual([low.id]);
});

test('given a status, a page walks past the tickets without it', () => {
  const sold = ticket({ status: 'SOLD' });
  const older = ticket();
  const newest = ticket({ status: 'SOLD' });
  const index = new ListingIndex();
  index.load([older, sold, newest]);
  expect(ids(index.page({ first: 5, after: null, status: 'SOLD' }))).toEqual([newest.id, sold.id]);
  expect(ids(index.page({ first: 5, after: after(newest), status: 'AVAILABLE' }))).toEqual([older.id]);
});

test('when a change arrives after a newer one (events of other replicas), the newer one stays', () => {
  const t = ticket();
  const index = new ListingIndex();
  index.apply(t);
  index.apply({ ...t, priceCents: 3000, status: 'RESERVED', version: 3 });
  index.apply({ ...t, priceCents: 2000, version: 2 });
  index.apply({ ...t, version: 1 });
  expect(index.page({ first: 1, after: null, status: null })?.tickets[0]).toMatchObject({
    priceCents: 3000,
    status: 'RESERVED',
    version: 3,
  });
  expect(index.size).toBe(1);
});

test('between two pages, a new ticket goes on top and one that stopped matching drops out: no repeats, no skips', () => {
  const [a, b, c, d] = [ticket(), ticket(), ticket(), ticket()] as const;
  const index = new ListingIndex();
  index.load([a, b, c, d]);
  const first = index.page({ first: 2, after: null, status: 'AVAILABLE' });
  expect(ids(first)).toEqual([d.id, c.id]);

  index.apply(ticket());
  index.apply({ ...b, status: 'RESERVED', version: 2 });
  index.apply({ ...d, status: 'SOLD', version: 2 });

  expect(ids(index.page({ first: 2, after: after(c), status: 'AVAILABLE' }))).toEqual([a.id]);
});

test('beyond its bound the oldest tickets are dropped, and a page that reaches them is not answered', () => {
  const [a, b, c, d] = [ticket(), ticket(), ticket(), ticket()] as const;
  const index = new ListingIndex(3);
  index.load([a, b, c]);
  expect(ids(index.page({ first: 5, after: null, status: null }))).toHaveLength(3);

  index.apply(d);
  expect(index.size).toBe(3);
  expect(index.get(a.id)).toBeUndefined();
  // Two of three kept fit with one more to tell hasNextPage: answered.
  expect(ids(index.page({ first: 1, after: null, status: null }))).toEqual([d.id]);
  // Reaching the end of what is kept: the database must answer.
  expect(index.page({ first: 3, after: null, status: null })).toBeNull();
  expect(index.page({ first: 1, after: after(b), status: null })).toBeNull();
  // A change of a ticket older than all kept stays out.
  index.apply({ ...a, version: 2 });
  expect(index.size).toBe(3);
});

test('a withdrawn ticket leaves the listing for good: an older event does not list it again', () => {
  const [a, b, c] = [ticket(), ticket(), ticket()] as const;
  const gone = ticket({ status: 'WITHDRAWN', version: 3 });
  const index = new ListingIndex();
  index.load([a, b, c, gone]);
  expect(ids(index.page({ first: 10, after: null, status: null }))).toEqual([c.id, b.id, a.id]);

  index.apply({ ...b, status: 'WITHDRAWN', version: 2 });
  expect(ids(index.page({ first: 10, after: null, status: null }))).toEqual([c.id, a.id]);
  expect(index.size).toBe(2);
  index.apply({ ...b, version: 1, title: 'late' });
  index.apply({ ...gone, status: 'AVAILABLE', version: 2 });
  expect(ids(index.page({ first: 10, after: null, status: null }))).toEqual([c.id, a.id]);
  // Paging past a withdrawn ticket's place still works.
  expect(ids(index.page({ first: 1, after: after(c), status: null }))).toEqual([a.id]);
});
