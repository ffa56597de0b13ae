import { ticketCreated, ticketRenamed, useTestEvents } from '@ticketing/events/testing';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import mongoose, { type Connection, type mongo } from 'mongoose';
import type { TicketCopy } from './models';
import { TicketCopies, type TicketCopiesOptions } from './TicketCopies';

// createOrder's copies of tickets, held in memory: read once from orders' projection on real
// FerretDB, kept by the tickets' events on real NATS, never older than the projection allows.

const events = useTestEvents('orders_ticket_copies');
let db: Connection;
let collection: mongo.Collection<TicketCopy>;
/** Reads of the projection (findOne) by the copies under test. */
let reads = 0;
let counted: mongo.Collection<TicketCopy>;

beforeAll(async () => {
  db = await mongoose
    .createConnection(process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017', {
      dbName: testDatabaseName('orders_ticket_copies'),
    })
    .asPromise();
  collection = db.collection<TicketCopy>('ticket_copies');
  counted = new Proxy(collection, {
    get(target, prop) {
      if (prop === 'findOne') reads++;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});
beforeEach(() => {
  reads = 0;
});

const unique = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
const copy = (id: string, version: number, priceCents = 100): TicketCopy => ({
  _id: id,
  version,
  title: 'Jazz',
  priceCents,
  sellerId: 's',
  status: 'AVAILABLE',
  reservedUntil: null,
});
const started: TicketCopies[] = [];
afterEach(async () => {
  for (const held of started.splice(0)) await held.stop();
});
/** Copies with their feed running, as a replica of orders holds them. */
async function copies(options: Partial<TicketCopiesOptions> = {}): Promise<TicketCopies> {
  const held = await new TicketCopies({ collection: counted, ...options }).start(events());
  started.push(held);
  return held;
}

test('given a stored copy, it is read once and then served from memory', async () => {
  const id = unique('once');
  await collection.insertOne(copy(id, 3));
  const held = await copies();
  expect((await held.get(id))?.version).toBe(3);
  expect((await held.get(id))?.version).toBe(3);
  expect(reads).toBe(1);
});

test('given concurrent first reads of one ticket, the projection is read once', async () => {
  const id = unique('rush');
  await collection.insertOne(copy(id, 1));
  const held = await copies();
  const got = await Promise.all(Array.from({ length: 20 }, () => held.get(id)));
  expect(got.every((c) => c?._id === id)).toBe(true);
  expect(reads).toBe(1);
});

test('given a ticket orders has no copy of, null, and the next call reads again (no copy is invented)', async () => {
  const held = await copies();
  expect(await held.get(unique('missing'))).toBeNull();
  expect(await held.get(unique('missing'))).toBeNull();
  expect(reads).toBe(2);
});

test('without the feed (before it starts, or once it stopped), every call reads the projection', async () => {
  const id = unique('unfed');
  await collection.insertOne(copy(id, 1));
  const idle = new TicketCopies({ collection: counted });
  await idle.get(id);
  await idle.get(id);
  expect(reads).toBe(2);

  const held = await copies();
  await held.get(id);
  await held.get(id);
  expect(reads).toBe(3);
  await held.stop();
  await collection.updateOne({ _id: id }, { $set: { version: 2, priceCents: 250 } });
  expect(await held.get(id)).toMatchObject({ version: 2, priceCents: 250 });
  expect(held.size).toBe(0);
  expect(reads).toBe(4);
});

test('given an event and a read racing, the newer version stays whichever comes last', async () => {
  const id = unique('race');
  await collection.insertOne(copy(id, 1));
  const held = await copies();
  held.offer(copy(id, 4, 400));
  // A read of the projection behind the event does not take it back.
  held.offer(copy(id, 2, 200));
  expect(await held.get(id)).toMatchObject({ version: 4, priceCents: 400 });
  expect(reads).toBe(0);
});

test('given more copies than maxEntries, the least recently used goes first', async () => {
  const [a, b, c] = [unique('a'), unique('b'), unique('c')];
  await collection.insertMany([copy(a, 1), copy(b, 1), copy(c, 1)]);
  const held = await copies({ maxEntries: 2 });
  await held.get(a);
  await held.get(b);
  await held.get(a); // a used last: b is the least recent
  await held.get(c);
  expect(held.size).toBe(2);
  reads = 0;
  await held.get(a);
  await held.get(c);
  expect(reads).toBe(0);
  await held.get(b);
  expect(reads).toBe(1);
});

test('given the feed, a listing and its change reach the copy without a read of the projection', async () => {
  const held = await copies();
  try {
    const id = unique('fed');
    await events().publisher.publish(ticketCreated(id));
    await eventually(() => held.size > 0);
    expect(await held.get(id)).toMatchObject({ version: 1, title: 'Jazz', status: 'AVAILABLE' });
    await events().publisher.publish(ticketRenamed(id, 2));
    await eventually(async () => (await held.get(id))?.version === 2);
    expect((await held.get(id))?.title).toBe('v2');
    expect(reads).toBe(0);
  } finally {
    await held.stop();
    await held.stop(); // safe twice
  }
});
