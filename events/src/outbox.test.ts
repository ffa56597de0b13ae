import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { onOutboxWrite, outboxFields, outboxPlugin, type WithOutbox, withOutbox } from './outbox';
import { ticketCreated, ticketRenamed } from './testing';

// The outbox as writers use it, on the real FerretDB: what a write stores beside the aggregate.

interface Ticket extends WithOutbox {
  _id: string;
  title: string;
  version: number;
  tags: string[];
}

let db: Connection;
let Tickets: Model<Ticket>;
beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('outbox_fields'),
  });
  const schema = new Schema<Ticket>({ _id: String, title: String, version: Number, tags: [String] });
  schema.plugin(outboxPlugin);
  Tickets = db.model<Ticket>('Ticket', schema);
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

const stored = (id: string) => db.collection<Ticket>(Tickets.collection.collectionName).findOne({ _id: id });

test('a new document carries its events whole, and when they were added', async () => {
  const before = Date.now();
  const event = ticketCreated('new-1');
  await Tickets.create({ _id: 'new-1', title: 'Jazz', version: 1, tags: [], ...outboxFields(event) });
  const doc = await stored('new-1');
  expect(doc?.outbox).toEqual([
    { id: event.id, type: 'TicketCreated', aggregateVersion: 1, event: JSON.stringify(event) },
  ]);
  expect(doc?.outboxAt?.getTime()).toBeGreaterThanOrEqual(before);
  expect(doc?.outboxMinute).toBe(Math.floor((doc?.outboxAt?.getTime() ?? 0) / 60_000));
});

test('an update keeps its own $set and $push, appends the event and moves outboxAt', async () => {
  await Tickets.create({
    _id: 'upd-1',
    title: 'Jazz',
    version: 1,
    tags: [],
    ...outboxFields(ticketCreated('upd-1')),
  });
  const { outboxAt: createdAt } = (await stored('upd-1')) ?? {};
  await new Promise((r) => setTimeout(r, 5));
  const event = ticketRenamed('upd-1', 2);
  await Tickets.updateOne(
    { _id: 'upd-1' },
    withOutbox<Ticket>({ $set: { title: 'Blues', version: 2 }, $push: { tags: 'late' } }, event),
  );
  const doc = await stored('upd-1');
  expect(doc).toMatchObject({ title: 'Blues', version: 2, tags: ['late'] });
  expect(doc?.outbox.map((e) => [e.type, e.aggregateVersion])).toEqual([
    ['TicketCreated', 1],
    ['TicketUpdated', 2],
  ]);
  expect(doc?.outbox[1]).toEqual({
    id: event.id,
    type: 'TicketUpdated',
    aggregateVersion: 2,
    event: JSON.stringify(event),
  });
  expect(doc?.outboxAt?.getTime()).toBeGreaterThan(createdAt?.getTime() ?? Number.POSITIVE_INFINITY);
});

test('the relay scans by outboxAt and outboxMinute: the collection has an index on each', async () => {
  const indexes = await db.collection(Tickets.collection.collectionName).indexes();
  expect(indexes.map((i) => i.key)).toContainEqual({ outboxAt: 1 });
  expect(indexes.map((i) => i.key)).toContainEqual({ outboxMinute: 1 });
});

test('listeners hear every event a write is about to carry, until they unsubscribe', () => {
  const heard: [string, string][] = [];
  const unsubscribe = onOutboxWrite((eventId, aggregateId) => heard.push([eventId, aggregateId]));
  const [a, b] = [ticketCreated('hear-1'), ticketRenamed('hear-1', 2)];
  outboxFields(a);
  withOutbox({ $set: {} }, b);
  unsubscribe();
  outboxFields(ticketCreated('hear-2'));
  expect(heard).toEqual([
    [a.id, 'hear-1'],
    [b.id, 'hear-1'],
  ]);
});
