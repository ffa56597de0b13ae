import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { TicketCreated, TicketUpdated } from './catalogue';
import { OutboxRelay } from './OutboxRelay';
import { outboxFields, outboxPlugin, type WithOutbox, withOutbox } from './outbox';
import { subjectFor } from './streams';
import { eventually, useTestEvents } from './testing';

// "Write to the database and publish the event", made crash-safe by an outbox inside the document.
interface Ticket extends WithOutbox {
  _id: string;
  title: string;
  version: number;
}

const events = useTestEvents('outbox');
let db: Connection;
let Tickets: Model<Ticket>;

beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('outbox'),
  });
  const schema = new Schema<Ticket>({ _id: String, title: String, version: Number });
  schema.plugin(outboxPlugin);
  Tickets = db.model<Ticket>('Ticket', schema);
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

/** A fresh relay, as a restarted process would have. */
const restartRelay = () => new OutboxRelay({ models: [Tickets], publisher: events().publisher });

async function storedFor(aggregateId: string): Promise<number[]> {
  const versions: number[] = [];
  const { state } = await events().jsm.streams.info(events().stream.name);
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const m = await events()
      .jsm.streams.getMessage(events().stream.name, { seq })
      .catch(() => null);
    const e = m?.json<{ aggregateId: string; aggregateVersion: number }>();
    if (e?.aggregateId === aggregateId) versions.push(e.aggregateVersion);
  }
  return versions;
}

const create = (id: string) =>
  TicketCreated.create({
    aggregateId: id,
    aggregateVersion: 1,
    data: { title: 'Jazz', priceCents: 100, sellerId: 's' },
  });

test('killed between the write and the publish: exactly one event after a restart', async () => {
  // The write happened; the process died before any relay ran.
  await Tickets.create({ _id: 'crash-1', title: 'Jazz', version: 1, ...outboxFields(create('crash-1')) });
  expect(await storedFor('crash-1')).toEqual([]);

  await restartRelay().flush();
  await restartRelay().flush(); // and once more, as a second restart would
  expect(await storedFor('crash-1')).toEqual([1]);
});

test('killed after the publish but before recording it: still exactly one event', async () => {
  const event = create('crash-2');
  await Tickets.create({ _id: 'crash-2', title: 'Jazz', version: 1, ...outboxFields(event) });
  await events().publisher.publish(event); // published, then the process died

  await restartRelay().flush();
  expect(await storedFor('crash-2')).toEqual([1]);
});

test('killed before the write: neither the change nor the event exists', async () => {
  await restartRelay().flush();
  expect(await Tickets.findById('crash-3')).toBeNull();
  expect(await storedFor('crash-3')).toEqual([]);
});

test('updates publish in version order, promptly after a kick', async () => {
  const relay = new OutboxRelay({
    models: [Tickets],
    publisher: events().publisher,
    fullScanIntervalMs: 3_600_000, // only the scan at start
  }).start();
  try {
    await Tickets.create({ _id: 'live-1', title: 'Jazz', version: 1, ...outboxFields(create('live-1')) });
    relay.kick();
    const renamed = TicketUpdated.create({
      aggregateId: 'live-1',
      aggregateVersion: 2,
      data: {
        title: 'Blues',
        priceCents: 100,
        sellerId: 's',
        status: 'AVAILABLE',
        reservedUntil: null,
        orderId: null,
      },
    });
    await Tickets.updateOne(
      { _id: 'live-1', version: 1 },
      withOutbox<Ticket>({ $set: { title: 'Blues', version: 2 } }, renamed),
    );
    relay.kick();
    // No full scan: the kick finds what this process wrote by its id.
    await eventually(async () => (await storedFor('live-1')).length === 2);
    expect(await storedFor('live-1')).toEqual([1, 2]);
    expect(await Tickets.findById('live-1').lean()).toMatchObject({ title: 'Blues', version: 2 });
  } finally {
    await relay.stop();
  }
  expect(subjectFor(events().stream, TicketUpdated.subject)).toMatch(/\.tickets\.updated$/);
});
