import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { TicketCreated, TicketUpdated } from './catalogue';
import type { DomainEvent } from './defineEvent';
import { OutboxRelay, type OutboxRelayOptions } from './OutboxRelay';
import { OUTBOX_KEEP, outboxFields, outboxPlugin, type WithOutbox, withOutbox } from './outbox';
import { subjectFor } from './streams';
import { eventually, useTestEvents, within } from './testing';

// "Write to the database and publish the event", made crash-safe by an outbox inside the document.
interface Ticket extends WithOutbox {
  _id: string;
  title: string;
  version: number;
}

const events = useTestEvents('outbox');
let db: Connection;
let Tickets: Model<Ticket>;
/** Versions of each ticket in the order a consumer of the stream received them. */
const received = new Map<string, number[]>();

beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('outbox'),
  });
  const schema = new Schema<Ticket>({ _id: String, title: String, version: Number });
  schema.plugin(outboxPlugin);
  Tickets = db.model<Ticket>('Ticket', schema);
  await ensureIndexes(db);
  await events().consume({
    durable: 'outbox-order',
    events: [TicketCreated, TicketUpdated],
    handle: async (e) => {
      received.set(e.aggregateId, [...(received.get(e.aggregateId) ?? []), e.aggregateVersion]);
    },
  });
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

// Every relay a test makes listens to this process's outbox writes until it is stopped.
const relays: OutboxRelay[] = [];
afterEach(async () => {
  await within(Promise.all(relays.splice(0).map((r) => r.stop())), 5_000, 'stopping the relays');
});

/** A fresh relay, as a restarted process would have. */
const restartRelay = (options: Partial<OutboxRelayOptions> = {}) => {
  const relay = new OutboxRelay({ models: [Tickets], publisher: events().publisher, ...options });
  relays.push(relay);
  return relay;
};

/** A relay that ran its start-up scan and then publishes only on kicks. */
async function liveRelay() {
  const relay = restartRelay({ pollIntervalMs: 3_600_000, fullScanIntervalMs: 3_600_000 }).start();
  await relay.flush();
  return relay;
}

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

// A relay that works publishes in milliseconds: waits are short, so a broken one fails in seconds
// (and a mutation run counts it killed, not timed out).
const WAIT_MS = 5_000;

/** What a consumer has seen of the aggregate once it has seen `count` events of it. */
const consumed = (aggregateId: string, count: number) =>
  eventually(() => {
    const versions = received.get(aggregateId) ?? [];
    return versions.length >= count ? versions : undefined;
  }, WAIT_MS);

const create = (id: string) =>
  TicketCreated.create({
    aggregateId: id,
    aggregateVersion: 1,
    data: { title: 'Jazz', priceCents: 100, sellerId: 's' },
  });

const rename = (id: string, version: number, title: string) =>
  TicketUpdated.create({
    aggregateId: id,
    aggregateVersion: version,
    data: { title, priceCents: 100, sellerId: 's', status: 'AVAILABLE', reservedUntil: null, orderId: null },
  });

/** The version-conditional update every writer makes. */
const update = (id: string, version: number, title: string) =>
  Tickets.updateOne(
    { _id: id, version: version - 1 },
    withOutbox<Ticket>({ $set: { title, version } }, rename(id, version, title)),
  );

/** An entry exactly as it is stored, for writes made by another process (this one is not told). */
const entry = (event: DomainEvent) => ({
  id: event.id,
  type: event.type,
  aggregateVersion: event.aggregateVersion,
  event: JSON.stringify(event),
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

test('killed before the write: neither the change nor its event exists after a restart', async () => {
  await Tickets.create({ _id: 'crash-3', title: 'Jazz', version: 1, ...outboxFields(create('crash-3')) });
  const dying = await liveRelay();
  await eventually(async () => (await storedFor('crash-3')).length === 1, WAIT_MS);

  // The rename's update (and its event) is built and announced to the relay, then the process dies
  // before sending it.
  withOutbox<Ticket>({ $set: { title: 'Blues', version: 2 } }, rename('crash-3', 2, 'Blues'));
  dying.kick();
  await dying.stop();

  await restartRelay().flush();
  expect(await Tickets.findById('crash-3').lean()).toMatchObject({ title: 'Jazz', version: 1 });
  expect(await storedFor('crash-3')).toEqual([1]);
});

test('updates publish in version order, promptly after a kick', async () => {
  const relay = await liveRelay();
  await Tickets.create({ _id: 'live-1', title: 'Jazz', version: 1, ...outboxFields(create('live-1')) });
  relay.kick();
  await update('live-1', 2, 'Blues');
  relay.kick();
  // No full scan: the kick finds what this process wrote by its id.
  await eventually(async () => (await storedFor('live-1')).length === 2, WAIT_MS);
  expect(await storedFor('live-1')).toEqual([1, 2]);
  expect(await Tickets.findById('live-1').lean()).toMatchObject({ title: 'Blues', version: 2 });
  expect(subjectFor(events().stream, TicketUpdated.subject)).toMatch(/\.tickets\.updated$/);
});

test('entries pending together are published in version order on a kick', async () => {
  const relay = await liveRelay();
  await Tickets.create({ _id: 'batch-1', title: 'Jazz', version: 1, ...outboxFields(create('batch-1')) });
  await update('batch-1', 2, 'Blues');
  await update('batch-1', 3, 'Soul');
  relay.kick();

  expect(await consumed('batch-1', 3)).toEqual([1, 2, 3]);
  expect(await storedFor('batch-1')).toEqual([1, 2, 3]);
});

test('entries pending together are published in version order by the scan after a restart', async () => {
  await Tickets.create({ _id: 'batch-2', title: 'Jazz', version: 1, ...outboxFields(create('batch-2')) });
  await update('batch-2', 2, 'Blues');
  await update('batch-2', 3, 'Soul');

  await restartRelay().flush();
  expect(await consumed('batch-2', 3)).toEqual([1, 2, 3]);
});

test('an entry left pending by another replica goes out before the one written after it', async () => {
  const relay = await liveRelay();
  // Another replica wrote versions 1 and 2 (stored out of order) and died before its relay ran.
  const [v1, v2] = [create('replica-1'), rename('replica-1', 2, 'Blues')];
  await db.collection<Ticket>(Tickets.collection.collectionName).insertOne({
    _id: 'replica-1',
    title: 'Blues',
    version: 2,
    outbox: [entry(v2), entry(v1)],
    outboxAt: new Date(),
  });
  // This process writes version 3: its kick must not overtake what is still pending before it.
  await update('replica-1', 3, 'Soul');
  relay.kick();

  expect(await consumed('replica-1', 3)).toEqual([1, 2, 3]);
});

test('events added without moving the version (a reset request, say) keep the outbox bounded too', async () => {
  const kept = async () =>
    ((await Tickets.findById('unversioned-1', { outbox: 1 }).lean())?.outbox ?? []).length;
  const relay = await liveRelay();
  await Tickets.create({
    _id: 'unversioned-1',
    title: 'Jazz',
    version: 1,
    ...outboxFields(create('unversioned-1')),
  });
  const many = OUTBOX_KEEP + 10;
  const recorded = Tickets.db.collection<{ _id: string }>('outbox_published');
  for (let i = 0; i < many; i++) {
    const event = rename('unversioned-1', 1, `n${i}`);
    await Tickets.updateOne(
      { _id: 'unversioned-1' },
      withOutbox<Ticket>({ $set: { title: `n${i}` } }, event),
    );
    relay.kick();
    await eventually(() => recorded.findOne({ _id: event.id }));
  }
  expect(await kept()).toBeLessThanOrEqual(OUTBOX_KEEP + 1);
});

test('an aggregate changed many times: each version published once, in order, its outbox bounded', async () => {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const kept = async () =>
    ((await Tickets.findById('many-1', { outbox: 1 }).lean())?.outbox ?? []).map((e) => e.aggregateVersion);
  let relay = await liveRelay();
  await Tickets.create({ _id: 'many-1', title: 'Jazz', version: 1, ...outboxFields(create('many-1')) });
  relay.kick();
  const running = OUTBOX_KEEP + 10;
  for (let version = 2; version <= running; version++) {
    await consumed('many-1', version - 1); // the relay keeps up with the writer
    await update('many-1', version, `v${version}`);
    relay.kick();
  }
  expect(await consumed('many-1', running)).toEqual(range(1, running));
  expect(await kept()).toEqual(range(running - OUTBOX_KEEP + 1, running));

  // The relay down for a while: published entries make room, the pending ones all stay.
  await relay.stop();
  const down = running + 5;
  for (let version = running + 1; version <= down; version++) await update('many-1', version, `v${version}`);
  expect(await kept()).toEqual(range(down - OUTBOX_KEEP + 1, down));

  relay = await liveRelay(); // its start-up scan publishes what piled up
  expect(await consumed('many-1', down)).toEqual(range(1, down));
  await update('many-1', down + 1, 'back');
  relay.kick();
  expect(await consumed('many-1', down + 1)).toEqual(range(1, down + 1));
  expect(await kept()).toEqual(range(down + 1 - OUTBOX_KEEP + 1, down + 1));
  expect(await storedFor('many-1')).toEqual(range(1, down + 1));
});
