import { createLogger } from '@ticketing/kit';
import { mongo, Types } from 'mongoose';
import type { DomainEvent } from './defineEvent';
import { OutboxRelay, type OutboxRelayOptions, type OutboxSource } from './OutboxRelay';
import { announceOutboxCommit, outboxFields, outboxMinuteOf, withOutbox } from './outbox';
import {
  eventually,
  type OutboxTicket,
  ticketCreated,
  ticketRenamed,
  ticketSchema,
  useOutboxModels,
  useTestEvents,
  within,
} from './testing';

// The relay as a user of the stream and an operator of the database see it: every call it makes to
// the publisher is recorded (and forwarded to the real NATS), so a second publish of one event
// counts even though JetStream would drop it; reads are counted on the real FerretDB.

const events = useTestEvents('outbox_publishes');
const store = useOutboxModels('outbox_publishes');

/** Every event the relays of this file handed to the publisher, in call order. */
let sent: DomainEvent[] = [];
/** Publishes that fail before reaching NATS (NATS refusing), counted down. */
let failing = 0;
/** Holds publishes until released (a slow NATS). */
let gate: Promise<void> | undefined;
/** Calls of the publisher, held or not. */
let calls = 0;
const publisher: OutboxRelayOptions['publisher'] = {
  async publish(event) {
    calls++;
    await gate;
    if (failing > 0) {
      failing--;
      throw new Error('NATS unavailable');
    }
    sent.push(event);
    return events().publisher.publish(event);
  },
};
/**
 * Once one wait ran out the relay is broken: later waits of this file fail at once instead of each
 * taking seconds (jest runs a file to its end after a failure; a mutation run would time out).
 */
let broken = false;
async function wait<T>(check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  if (broken) throw new Error('not waiting: an earlier wait of this file ran out');
  try {
    return await eventually(check, 4_000);
  } catch (err) {
    broken = true;
    throw err;
  }
}
/** A relay's full scan, failing (not hanging) when it does not end. */
async function flush(r: OutboxRelay): Promise<void> {
  if (broken) throw new Error('not waiting: an earlier wait of this file ran out');
  await within(r.flush(), 10_000, 'a full scan').catch((err: unknown) => {
    broken = true;
    throw err;
  });
}
/** Resolves once the relay is inside a publish (held by holdPublishes). */
async function publishing(): Promise<void> {
  const before = calls;
  await wait(() => calls > before);
}
/** Lets held publishes go (a test that failed while holding them included). */
let releaseHeld: () => void = () => undefined;
/** Holds every publish until the returned function is called. */
function holdPublishes(): () => void {
  gate = new Promise<void>((resolve) => {
    releaseHeld = () => {
      gate = undefined;
      resolve();
    };
  });
  return releaseHeld;
}

const relays: OutboxRelay[] = [];
afterEach(async () => {
  releaseHeld();
  failing = 0;
  const stopping = Promise.all(relays.splice(0).map((r) => r.stop()));
  if (!broken)
    await within(stopping, 5_000, 'stopping the relays').catch((err: unknown) => {
      broken = true;
      throw err;
    });
  sent = [];
});
const HOUR = 3_600_000;
function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const r = new OutboxRelay({
    models: [store.Tickets],
    publisher,
    pollIntervalMs: HOUR,
    fullScanIntervalMs: HOUR,
    ...options,
  });
  relays.push(r);
  return r;
}

/** Versions of the aggregate handed to the publisher, in order. */
const sentFor = (aggregateId: string) =>
  sent.filter((e) => e.aggregateId === aggregateId).map((e) => e.aggregateVersion);
/** Waits (briefly: a relay that works publishes in milliseconds) until `count` versions of it went out. */
const published = (aggregateId: string, count: number) =>
  wait(() => (sentFor(aggregateId).length >= count ? sentFor(aggregateId) : undefined));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The model's source with its reads (find, findOne) and updates counted per collection. */
function counted(model: OutboxSource): {
  source: OutboxSource;
  reads: Map<string, number>;
  writes: Map<string, number>;
} {
  const reads = new Map<string, number>();
  const writes = new Map<string, number>();
  const db = new Proxy(model.db, {
    get(target, prop) {
      if (prop !== 'collection') return Reflect.get(target, prop, target);
      return (name: string) =>
        new Proxy(target.collection(name), {
          get(collection, p) {
            if (p === 'find' || p === 'findOne') reads.set(name, (reads.get(name) ?? 0) + 1);
            if (p === 'updateOne') writes.set(name, (writes.get(name) ?? 0) + 1);
            const value = Reflect.get(collection, p, collection);
            return typeof value === 'function' ? value.bind(collection) : value;
          },
        });
    },
  });
  return { source: { collection: model.collection, db }, reads, writes };
}

/** An entry as stored, for documents another process wrote (this process's relays are not told). */
const entry = (event: DomainEvent) => ({
  id: event.id,
  type: event.type,
  aggregateVersion: event.aggregateVersion,
  event: JSON.stringify(event),
});
/** A ticket another process wrote, with these entries still pending. */
const writtenElsewhere = (id: string, entries: DomainEvent[], outboxAt = new Date()) =>
  store.db.collection<OutboxTicket>(store.Tickets.collection.collectionName).insertOne({
    _id: id,
    title: 'Jazz',
    version: Math.max(...entries.map((e) => e.aggregateVersion)),
    outbox: entries.map(entry),
    outboxAt,
    outboxMinute: outboxMinuteOf(outboxAt),
  });
/** What a writer of this process does: create, or the version-conditional update. */
const createHere = (id: string) =>
  store.Tickets.create({ _id: id, title: 'Jazz', version: 1, ...outboxFields(ticketCreated(id)) });
const updateHere = (id: string, version: number) =>
  store.Tickets.updateOne(
    { _id: id, version: version - 1 },
    withOutbox<OutboxTicket>({ $set: { version } }, ticketRenamed(id, version)),
  );

test('a created document is published once stored, without a kick or a read back', async () => {
  // No poll and no read-back within the test: only the insert itself can start the pass.
  const live = relay({ pollIntervalMs: 60_000, readBackAfterMs: 60_000 }).start();
  await flush(live);
  await createHere('created-1');
  expect(await published('created-1', 1)).toEqual([1]);
});

test('an update adding events is published once written, without a kick from its writer', async () => {
  // No poll within the test: only the write itself can start the pass.
  const live = relay({ pollIntervalMs: 60_000 }).start();
  await flush(live);
  await createHere('commit-1');
  live.kick();
  await published('commit-1', 1);
  await updateHere('commit-1', 2);
  expect(await published('commit-1', 2)).toEqual([1, 2]);
});

/** Reads of the tickets' collection by anyone while `work` runs (the driver's own findOne). */
async function ticketReads(work: () => Promise<unknown>): Promise<number> {
  const name = store.Tickets.collection.collectionName;
  const spy = jest.spyOn(mongo.Collection.prototype, 'findOne');
  try {
    await work();
    return spy.mock.contexts.filter((c) => (c as mongo.Collection).collectionName === name).length;
  } finally {
    spy.mockRestore();
  }
}

test('an insert announced as stored, and the updates after it, go out without reading the aggregate back', async () => {
  const live = relay().start();
  await flush(live);
  const reads = await ticketReads(async () => {
    const fields = outboxFields(ticketCreated('known-1'));
    await store.db
      .collection<OutboxTicket>(store.Tickets.collection.collectionName)
      .insertOne({ _id: 'known-1', title: 'Jazz', version: 1, ...fields });
    announceOutboxCommit(store.Tickets.db, store.Tickets.collection.collectionName, fields.outbox);
    expect(await published('known-1', 1)).toEqual([1]);
    await updateHere('known-1', 2);
    expect(await published('known-1', 2)).toEqual([1, 2]);
  });
  // Nothing reads the aggregate: not the relay, nor the update's trim (2 versions, under OUTBOX_KEEP).
  expect(reads).toBe(0);
  await flush(live);
  expect(sentFor('known-1')).toEqual([1, 2]);
});

/** A started relay that has published version 1 of a ticket this process created. */
async function liveAfterCreating(id: string): Promise<OutboxRelay> {
  const live = relay().start();
  await flush(live);
  await createHere(id);
  live.kick();
  await published(id, 1);
  return live;
}

test('an update that matched nothing (another writer won) announces nothing and its event never goes out', async () => {
  const live = await liveAfterCreating('lost-1');
  await updateHere('lost-1', 2);
  // Written as if from version 2, which the aggregate is no longer at.
  await updateHere('lost-1', 3 + 1);
  await updateHere('lost-1', 3);
  expect(await published('lost-1', 3)).toEqual([1, 2, 3]);
  live.kick();
  await flush(live);
  expect(sentFor('lost-1')).toEqual([1, 2, 3]);
});

test('what a kick published is never published again by later kicks, scans or a restarted relay', async () => {
  const live = relay().start();
  await flush(live);
  await createHere('once-1');
  live.kick();
  await updateHere('once-1', 2);
  live.kick();
  expect(await published('once-1', 2)).toEqual([1, 2]);

  await flush(live);
  live.kick();
  await flush(relay());
  await flush(live);
  expect(sentFor('once-1')).toEqual([1, 2]);
});

test('what a scan published is never published again', async () => {
  await writtenElsewhere('once-2', [ticketRenamed('once-2', 2), ticketCreated('once-2')]);
  const first = relay();
  await flush(first);
  expect(sentFor('once-2')).toEqual([1, 2]); // stored out of order, published in version order
  await flush(first);
  await flush(relay());
  expect(sentFor('once-2')).toEqual([1, 2]);
});

test('start publishes what a dead process left pending, without waiting for a poll', async () => {
  await writtenElsewhere('start-1', [ticketCreated('start-1')]);
  relay().start();
  expect(await published('start-1', 1)).toEqual([1]);
});

test('entries another replica writes later are found by the periodic full scan', async () => {
  const live = relay({ fullScanIntervalMs: 100 }).start();
  await flush(live);
  await writtenElsewhere('scan-1', [ticketCreated('scan-1')]);
  expect(await published('scan-1', 1)).toEqual([1]);
});

test('the periodic scans look up the last minutes; one by range now and then finds documents written without outboxMinute', async () => {
  const live = relay({ fullScanIntervalMs: 50, rangeScanIntervalMs: 500 }).start();
  await flush(live);
  const legacy = ticketCreated('legacy-1');
  // As a version of the writers from before outboxMinute wrote it, left pending by a dead replica.
  await store.db
    .collection<OutboxTicket>(store.Tickets.collection.collectionName)
    .insertOne({ _id: 'legacy-1', title: 'Jazz', version: 1, outbox: [entry(legacy)], outboxAt: new Date() });
  await writtenElsewhere('minute-1', [ticketCreated('minute-1')]);
  // The next scan (by minute) finds the new document at once; the legacy one waits for a range scan.
  expect(await published('minute-1', 1)).toEqual([1]);
  expect(await published('legacy-1', 1)).toEqual([1]);
});

test('a kick publishes only after the entries of the aggregate still pending before its own', async () => {
  const live = relay().start();
  await flush(live);
  // Version 1 went out long ago (another relay recorded it); version 2 was left by a replica that died.
  const v1 = ticketCreated('prev-1');
  await writtenElsewhere('prev-1', [v1]);
  await flush(relay());
  await store.db
    .collection<OutboxTicket>(store.Tickets.collection.collectionName)
    .updateOne(
      { _id: 'prev-1' },
      { $set: { version: 2 }, $push: { outbox: entry(ticketRenamed('prev-1', 2)) } },
    );
  await updateHere('prev-1', 3);
  live.kick();
  expect(await published('prev-1', 3)).toEqual([1, 2, 3]);
  await flush(live);
  expect(sentFor('prev-1')).toEqual([1, 2, 3]);
});

test('a kick after entries the same relay published goes out alone', async () => {
  const live = await liveAfterCreating('prev-2');
  await updateHere('prev-2', 2);
  live.kick();
  expect(await published('prev-2', 2)).toEqual([1, 2]);
  // And a restarted relay, whose memory is empty, finds version 2's predecessor recorded.
  await live.stop();
  const restarted = relay().start();
  await flush(restarted);
  await updateHere('prev-2', 3);
  restarted.kick();
  expect(await published('prev-2', 3)).toEqual([1, 2, 3]);
  await pause(50);
  expect(sentFor('prev-2')).toEqual([1, 2, 3]);
});

test('kicks during a pass are not lost: they make one more pass', async () => {
  const live = relay().start();
  await flush(live);
  const release = holdPublishes();
  const held = publishing();
  await createHere('kick-1'); // its commit starts a pass, which waits on the publisher
  await held;
  await updateHere('kick-1', 2);
  live.kick(); // during the pass
  release();
  expect(await published('kick-1', 2)).toEqual([1, 2]);
});

test('ObjectId aggregates, and string ids that look like one, are published on a kick', async () => {
  const live = relay({ models: [store.Tickets, store.Listings] }).start();
  await flush(live);
  const _id = new Types.ObjectId();
  const listingCreated = ticketCreated(_id.toHexString());
  await store.Listings.create({ _id, title: 'Jazz', ...outboxFields(listingCreated) });
  const hexId = new Types.ObjectId().toHexString();
  await createHere(hexId);
  // Ids that merely contain 24 hex digits are strings, never read as an ObjectId.
  const [tailed, headed] = [
    `copy-${new Types.ObjectId().toHexString()}`,
    `${new Types.ObjectId().toHexString()}-copy`,
  ];
  await createHere(tailed);
  await createHere(headed);
  live.kick();
  expect(await published(_id.toHexString(), 1)).toEqual([1]);
  expect(await published(hexId, 1)).toEqual([1]);
  expect(await published(tailed, 1)).toEqual([1]);
  expect(await published(headed, 1)).toEqual([1]);
});

test('a scan publishes the outboxes of every model the relay is given', async () => {
  const _id = new Types.ObjectId();
  await store.db.collection(store.Listings.collection.collectionName).insertOne({
    _id,
    title: 'Jazz',
    outbox: [entry(ticketCreated(_id.toHexString()))],
    outboxAt: new Date(),
  });
  await writtenElsewhere('models-1', [ticketCreated('models-1')]);
  await flush(relay({ models: [store.Tickets, store.Listings] }));
  expect(sentFor(_id.toHexString())).toEqual([1]);
  expect(sentFor('models-1')).toEqual([1]);
});

test('a scan that fails is retried at the next poll; what was published once is not published twice', async () => {
  await writtenElsewhere('retry-1', [ticketCreated('retry-1'), ticketRenamed('retry-1', 2)]);
  failing = 1;
  relay({ pollIntervalMs: 50 }).start();
  expect(await published('retry-1', 2)).toEqual([1, 2]);
});

test('a kick whose publish fails is retried at the next poll', async () => {
  const live = relay({ pollIntervalMs: 50 }).start();
  await flush(live);
  failing = 1;
  await createHere('retry-2');
  live.kick();
  expect(await published('retry-2', 1)).toEqual([1]);
  await pause(200);
  expect(sentFor('retry-2')).toEqual([1]);
});

test('entries another replica recorded while this relay published them are no error', async () => {
  const first = ticketCreated('race-1');
  await writtenElsewhere('race-1', [first, ticketRenamed('race-1', 2)]);
  // The other replica records version 1 between this relay's look-up and its own record.
  const marking = holdPublishes();
  const held = publishing();
  const scanning = flush(relay());
  await held;
  await store.db
    .collection<{ _id: string; at: Date }>('outbox_published')
    .insertOne({ _id: first.id, at: new Date() });
  marking();
  await expect(scanning).resolves.toBeUndefined();
  await flush(relay());
  expect(sentFor('race-1')).toEqual([1, 2]);
});

test('a scan re-reads the look-back before its checkpoint, not the whole collection', async () => {
  const Late = store.db.model<OutboxTicket>('LateTicket', ticketSchema());
  const late = store.db.collection<OutboxTicket>(Late.collection.collectionName);
  const now = Date.now();
  const doc = (id: string, at: number) => ({
    _id: id,
    title: 'Jazz',
    version: 1,
    outbox: [entry(ticketCreated(id))],
    outboxAt: new Date(at),
  });
  // Another collection's checkpoint, from long ago, sits first: each collection reads its own.
  const checkpoints = store.db.collection<{ _id: string; at: Date }>('outbox_checkpoints');
  await checkpoints.deleteMany({});
  await checkpoints.insertOne({ _id: 'other_collection', at: new Date(0) });
  await late.insertOne(doc('late-0', now));
  await flush(relay({ models: [Late] })); // checkpoint: now; the look-back is 60 s by default
  // A replica whose write committed late (or whose clock is behind): inside and outside the look-back.
  await late.insertMany([doc('late-1', now - 30_000), doc('late-2', now - 10 * 60_000)]);
  await flush(relay({ models: [Late] }));
  expect(sentFor('late-0')).toEqual([1]);
  expect(sentFor('late-1')).toEqual([1]);
  expect(sentFor('late-2')).toEqual([]);
});

test('a relay that remembers nothing reads one record for a document whose entries are all out, newest first', async () => {
  const Long = store.db.model<OutboxTicket>('LongOutboxTicket', ticketSchema());
  const long = store.db.collection<OutboxTicket>(Long.collection.collectionName);
  const events = [ticketCreated('long-1'), ...[2, 3, 4, 5].map((v) => ticketRenamed('long-1', v))];
  const at = new Date();
  const stored = { title: 'Jazz', outboxAt: at, outboxMinute: outboxMinuteOf(at) };
  await long.insertOne({ _id: 'long-1', version: 3, outbox: events.slice(0, 3).map(entry), ...stored });
  await flush(relay({ models: [Long] }));
  expect(sentFor('long-1')).toEqual([1, 2, 3]);

  // Restarted (its memory empty): the newest entry's record vouches for the two before it.
  const first = counted(Long);
  await flush(relay({ models: [first.source] }));
  expect(first.reads.get('outbox_published')).toBe(1);
  // Two more versions written by a replica that died: read back to the newest recorded, then published.
  await long.updateOne({ _id: 'long-1' }, { $set: { version: 5, outbox: events.map(entry) } });
  const second = counted(Long);
  await flush(relay({ models: [second.source] }));
  expect(second.reads.get('outbox_published')).toBe(3);
  expect(sentFor('long-1')).toEqual([1, 2, 3, 4, 5]);
});

test('an entry added without a version change is not vouched for by a later one of the same version', async () => {
  const Same = store.db.model<OutboxTicket>('SameVersionTicket', ticketSchema());
  const same = store.db.collection<OutboxTicket>(Same.collection.collectionName);
  const [v1, first, second] = [
    ticketCreated('same-1'),
    ticketRenamed('same-1', 2),
    ticketRenamed('same-1', 2),
  ];
  const at = new Date();
  const outbox = [v1, first, second].map(entry);
  await same.insertOne({
    _id: 'same-1',
    title: 'Jazz',
    version: 2,
    outbox,
    outboxAt: at,
    outboxMinute: outboxMinuteOf(at),
  });
  // The later one went out (another replica's kick); the earlier one's replica died first.
  await store.db.collection<{ _id: string; at: Date }>('outbox_published').insertMany([
    { _id: v1.id, at },
    { _id: second.id, at },
  ]);
  await flush(relay({ models: [Same] }));
  expect(sent.filter((e) => e.aggregateId === 'same-1').map((e) => e.id)).toEqual([first.id]);
});

test('an idle relay reads nothing: its polls stop once what it wrote is published', async () => {
  const { source, reads } = counted(store.Tickets);
  const live = relay({ models: [source], pollIntervalMs: 20 }).start();
  await flush(live);
  await createHere('idle-1');
  live.kick();
  await published('idle-1', 1);
  await pause(50);
  reads.clear();
  await pause(300);
  expect(Object.fromEntries(reads)).toEqual({});
});

test('an entry announced but never written is looked for at 21 kicks, then left to the full scan', async () => {
  const { source, reads } = counted(store.Tickets);
  const live = relay({ models: [source], pollIntervalMs: 10 }).start();
  await flush(live);
  reads.clear();
  // Built (and announced to the relay), then the process failed before the update was sent.
  withOutbox<OutboxTicket>({ $set: { version: 2 } }, ticketRenamed('never-1', 2));
  live.kick();
  const name = store.Tickets.collection.collectionName;
  await wait(() => (reads.get(name) ?? 0) >= 21);
  await pause(300); // 30 more poll intervals: none reads again
  expect(reads.get(name)).toBe(21);
});

test('a stopped relay publishes nothing more, and stop waits for the pass in progress', async () => {
  const live = relay({ pollIntervalMs: 20 }).start();
  await flush(live);
  const release = holdPublishes();
  const held = publishing(); // the kick below, or a poll during the write
  await createHere('stop-1');
  live.kick();
  await held;
  await updateHere('stop-1', 2);
  live.kick(); // asks for one more pass, which the stop cancels
  let stopped = false;
  const stopping = live.stop().then(() => {
    stopped = true;
  });
  await pause(50);
  expect(stopped).toBe(false);
  release();
  await stopping;
  expect(sentFor('stop-1')).toEqual([1]);

  await writtenElsewhere('stop-2', [ticketCreated('stop-2')]);
  await createHere('stop-3');
  live.kick();
  await pause(200);
  expect(sentFor('stop-1')).toEqual([1]);
  expect(sentFor('stop-2')).toEqual([]);
  expect(sentFor('stop-3')).toEqual([]);
});

test('a kick after versions this relay published reads no published record; after another relay’s, one', async () => {
  const { source, reads } = counted(store.Tickets);
  const live = relay({ models: [source] }).start();
  await flush(live);
  await createHere('cost-1');
  live.kick();
  await published('cost-1', 1);
  reads.clear();
  // Two versions written before one kick: neither waits for a look-up of what went before.
  await updateHere('cost-1', 2);
  await updateHere('cost-1', 3);
  live.kick();
  expect(await published('cost-1', 3)).toEqual([1, 2, 3]);
  await pause(50);
  expect(reads.get('outbox_published')).toBeUndefined();

  // Published by another relay (not in this one's memory): one look-up of the version just before.
  const other = new Types.ObjectId().toHexString();
  await writtenElsewhere(other, [ticketCreated(other)]);
  await flush(relay());
  reads.clear();
  await updateHere(other, 2);
  live.kick();
  expect(await published(other, 2)).toEqual([1, 2]);
  await pause(50);
  expect(reads.get('outbox_published')).toBe(1);

  // However many versions another relay published: one look-up, of the one just before.
  const longer = new Types.ObjectId().toHexString();
  await writtenElsewhere(longer, [ticketCreated(longer), ticketRenamed(longer, 2), ticketRenamed(longer, 3)]);
  await flush(relay());
  reads.clear();
  await updateHere(longer, 4);
  live.kick();
  expect(await published(longer, 4)).toEqual([1, 2, 3, 4]);
  await pause(50);
  expect(reads.get('outbox_published')).toBe(1);
});

test('a kick for an aggregate whose announced write has not landed reads no published record', async () => {
  const { source, reads } = counted(store.Tickets);
  const live = relay({ models: [source], pollIntervalMs: 10 }).start();
  await flush(live);
  await writtenElsewhere('landing-1', [ticketCreated('landing-1')]);
  await flush(relay()); // version 1 published by another relay
  reads.clear();
  // Built and announced; the process failed before sending it (or it is still in flight).
  withOutbox<OutboxTicket>({ $set: { version: 2 } }, ticketRenamed('landing-1', 2));
  live.kick();
  const name = store.Tickets.collection.collectionName;
  await wait(() => (reads.get(name) ?? 0) >= 21);
  expect(reads.get('outbox_published')).toBeUndefined();
  expect(sentFor('landing-1')).toEqual([1]);
});

test('a write announced and not yet confirmed is read back once readBackAfterMs old, or at a kick; confirmed ones go out at once', async () => {
  const name = store.Tickets.collection.collectionName;
  for (const id of ['late-1', 'late-2']) await writtenElsewhere(id, [ticketCreated(id)]);
  await flush(relay()); // their version 1 published by another relay
  // A writer without a commit hook: announced when built, then written behind the relay's back.
  const writeUnconfirmed = (id: string) =>
    store.db
      .collection<OutboxTicket>(name)
      .updateOne({ _id: id }, withOutbox<OutboxTicket>({ $set: { version: 2 } }, ticketRenamed(id, 2)));

  const patient = relay({ pollIntervalMs: 10, readBackAfterMs: 60_000 }).start();
  await flush(patient);
  await writeUnconfirmed('late-1');
  // The passes that commits and polls start publish what is confirmed, and read nothing back yet.
  await createHere('confirmed-1');
  expect(await published('confirmed-1', 1)).toEqual([1]);
  await pause(200);
  expect(sentFor('late-1')).toEqual([1]);
  patient.kick(); // a writer's kick reads back every write not yet published
  expect(await published('late-1', 2)).toEqual([1, 2]);
  await patient.stop();

  const polling = relay({ pollIntervalMs: 10, readBackAfterMs: 100 }).start();
  await flush(polling);
  await writeUnconfirmed('late-2');
  expect(await published('late-2', 2)).toEqual([1, 2]);
});

test('the checkpoint is the latest change a scan read, whatever order the documents are stored in', async () => {
  const Stored = store.db.model<OutboxTicket>('StoredTicket', ticketSchema());
  const now = Date.now();
  await store.db.collection<OutboxTicket>(Stored.collection.collectionName).insertMany([
    {
      _id: 'stored-1',
      title: 'Jazz',
      version: 1,
      outbox: [entry(ticketCreated('stored-1'))],
      outboxAt: new Date(now),
    },
    {
      _id: 'stored-2',
      title: 'Jazz',
      version: 1,
      outbox: [entry(ticketCreated('stored-2'))],
      outboxAt: new Date(now - 10_000),
    },
  ]);
  await flush(relay({ models: [Stored] }));
  const checkpoint = await store.db
    .collection<{ _id: string; at: Date }>('outbox_checkpoints')
    .findOne({ _id: Stored.collection.collectionName });
  expect(checkpoint?.at.getTime()).toBe(now);
});

test('a kick finds the entry pending before its own wherever the outbox holds it', async () => {
  const live = relay().start();
  await flush(live);
  // Another replica's outbox, stored out of order: version 1 recorded as published, version 2 not.
  const [v1, v2] = [ticketCreated('order-3'), ticketRenamed('order-3', 2)];
  await writtenElsewhere('order-3', [v2, v1]);
  await store.db
    .collection<{ _id: string; at: Date }>('outbox_published')
    .insertOne({ _id: v1.id, at: new Date() });
  await updateHere('order-3', 3);
  live.kick();
  expect(await published('order-3', 2)).toEqual([2, 3]);
});

test('a burst of writes in one kick publishes each aggregate once', async () => {
  const live = relay().start();
  await flush(live);
  const ids = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
  for (const id of ids) await createHere(id);
  live.kick();
  await wait(() => ids.every((id) => sentFor(id).length > 0));
  await pause(50);
  expect(ids.filter((id) => sentFor(id).length !== 1)).toEqual([]);
});

test('a scan that found nothing new leaves the checkpoint as it is', async () => {
  const { source, writes } = counted(store.Tickets);
  const scanner = relay({ models: [source] });
  await writtenElsewhere('mark-1', [ticketCreated('mark-1')]);
  await flush(scanner);
  expect(writes.get('outbox_checkpoints')).toBe(1);
  await flush(scanner);
  expect(writes.get('outbox_checkpoints')).toBe(1);
});

test('a failed pass is logged as a warning with its error, for the operator', async () => {
  const logger = createLogger({ service: 'outbox-test', level: 'silent' });
  const warn = jest.spyOn(logger, 'warn');
  await writtenElsewhere('warn-1', [ticketCreated('warn-1')]);
  failing = 1;
  const live = relay({ logger, pollIntervalMs: 50 }).start();
  expect(await published('warn-1', 1)).toEqual([1]);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn).toHaveBeenCalledWith(
    { err: expect.objectContaining({ message: 'NATS unavailable' }) },
    'outbox scan failed; retrying on the next one',
  );
  await flush(live);
});

test('a scanned document whose outbox an operator removed is passed over; the others are published', async () => {
  await store.db
    .collection<Omit<OutboxTicket, 'outbox'>>(store.Tickets.collection.collectionName)
    .insertOne({ _id: 'bare-1', title: 'Jazz', version: 3, outboxAt: new Date() });
  await writtenElsewhere('bare-2', [ticketCreated('bare-2')]);
  await flush(relay());
  expect(sentFor('bare-2')).toEqual([1]);
});

/** The model's source whose records in outbox_published fail with these errors, one insert each. */
function refusing(...errors: unknown[]): OutboxSource {
  return {
    collection: store.Tickets.collection,
    db: new Proxy(store.db, {
      get(target, prop) {
        if (prop !== 'collection') return Reflect.get(target, prop, target);
        return (name: string) =>
          new Proxy(target.collection(name), {
            get(collection, p) {
              const error = errors[0];
              if (name === 'outbox_published' && p === 'insertMany' && errors.shift())
                return async () => {
                  throw error;
                };
              const value = Reflect.get(collection, p, collection);
              return typeof value === 'function' ? value.bind(collection) : value;
            },
          });
      },
    }),
  };
}

test('a record the database refuses is retried: what went out is recorded, and a restart publishes nothing again', async () => {
  const logger = createLogger({ service: 'outbox-test', level: 'silent' });
  const warn = jest.spyOn(logger, 'warn');
  const refusal = new Error('not writable primary');
  const first = ticketCreated('refused-1');
  await writtenElsewhere('refused-1', [first]);
  relay({ models: [refusing(refusal)], pollIntervalMs: 50, logger }).start();
  const records = store.db.collection<{ _id: string }>('outbox_published');
  await wait(async () => (await records.findOne({ _id: first.id })) !== null);
  // Published again on the retry (JetStream's duplicate window drops it), then recorded.
  expect(sentFor('refused-1')).toEqual([1, 1]);
  expect(warn).toHaveBeenCalledWith({ err: refusal }, 'outbox scan failed; retrying on the next one');
  await flush(relay());
  expect(sentFor('refused-1')).toEqual([1, 1]);
});

test('records refused for other reasons than another replica’s are retried, even beside its duplicates', async () => {
  // As the driver reports an unordered insert: the first error's code, then every error.
  const mixed = Object.assign(new Error('E11000 duplicate key, and a write refused'), {
    code: 11000,
    writeErrors: [{ code: 11000 }, { code: 91 }],
  });
  const first = ticketCreated('mixed-1');
  await writtenElsewhere('mixed-1', [first]);
  relay({ models: [refusing(mixed)], pollIntervalMs: 50 }).start();
  const records = store.db.collection<{ _id: string }>('outbox_published');
  await wait(async () => (await records.findOne({ _id: first.id })) !== null);
  expect(sentFor('mixed-1')).toEqual([1, 1]);
});
