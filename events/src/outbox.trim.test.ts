import { connectMongo } from '@ticketing/kit';
import { type Model, Types } from 'mongoose';
import { OUTBOX_KEEP, OUTBOX_PUBLISHED, OUTBOX_TRIMMED_PER_WRITE, outboxFields, withOutbox } from './outbox';
import { type OutboxListing, type OutboxTicket, ticketEvent, ticketSchema, useOutboxModels } from './testing';

// An aggregate's outbox stays bounded on the real FerretDB (which ignores `$slice`): published
// entries past OUTBOX_KEEP go, unpublished ones never do. "Published" is what a relay records in
// outbox_published; the relay itself is left out (OutboxRelay.test.ts runs both together).

const store = useOutboxModels('outbox_trim');

/** The version-conditional change every writer makes. */
const change = (model: Model<OutboxTicket>, id: string, version: number) =>
  model.updateOne(
    { _id: id, version: version - 1 },
    withOutbox<OutboxTicket>({ $set: { version } }, ticketEvent(id, version)),
  );
/** The versions its outbox holds, in stored order. */
const kept = async (id: string) =>
  ((await store.Tickets.findById(id, { outbox: 1 }).lean())?.outbox ?? []).map((e) => e.aggregateVersion);
/** What a relay records once it published these versions of the aggregate. */
async function publish(id: string, versions: number[]) {
  const doc = await store.Tickets.findById(id, { outbox: 1 }).lean();
  const ids = (doc?.outbox ?? []).filter((e) => versions.includes(e.aggregateVersion)).map((e) => e.id);
  await store.db
    .collection<{ _id: string; at: Date }>(OUTBOX_PUBLISHED)
    .insertMany(ids.map((_id) => ({ _id, at: new Date() })));
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('an outbox keeps the latest OUTBOX_KEEP entries however many changes, each trimmed once published', async () => {
  const last = OUTBOX_KEEP + 15;
  await store.Tickets.create({
    _id: 'bound-1',
    title: 'Jazz',
    version: 1,
    ...outboxFields(ticketEvent('bound-1', 1)),
  });
  await publish('bound-1', [1]);
  for (let version = 2; version <= last; version++) {
    await change(store.Tickets, 'bound-1', version);
    await publish('bound-1', [version]); // the relay, right after each write
  }
  expect(await kept('bound-1')).toEqual(range(last - OUTBOX_KEEP + 1, last));
});

test('entries no relay recorded are never trimmed: the outbox grows until they are published', async () => {
  const last = OUTBOX_KEEP + 6;
  await store.Tickets.create({
    _id: 'down-1',
    title: 'Jazz',
    version: 1,
    ...outboxFields(ticketEvent('down-1', 1)),
  });
  for (let version = 2; version <= last; version++) await change(store.Tickets, 'down-1', version);
  expect(await kept('down-1')).toEqual(range(1, last));

  // The relay got versions 2 and 3 out but not 1 (yet): nothing goes, the oldest is still pending.
  await publish('down-1', [2, 3]);
  await change(store.Tickets, 'down-1', last + 1);
  expect(await kept('down-1')).toEqual(range(1, last + 1));

  // Version 1 out too: the published ones go, oldest first, up to the first one still pending.
  await publish('down-1', [1]);
  await change(store.Tickets, 'down-1', last + 2);
  expect(await kept('down-1')).toEqual(range(4, last + 2));
});

test('an outbox that outgrew the bound shrinks by OUTBOX_TRIMMED_PER_WRITE a write, down to OUTBOX_KEEP', async () => {
  const last = OUTBOX_KEEP + 2 * OUTBOX_TRIMMED_PER_WRITE + 3;
  // Written before trimming existed: every entry long published.
  await store.db.collection<OutboxTicket>(store.Tickets.collection.collectionName).insertOne({
    _id: 'big-1',
    title: 'Jazz',
    version: last,
    outbox: outboxFields(...range(1, last).map((v) => ticketEvent('big-1', v))).outbox,
  });
  await publish('big-1', range(1, last));
  await change(store.Tickets, 'big-1', last + 1);
  expect(await kept('big-1')).toEqual(range(OUTBOX_TRIMMED_PER_WRITE + 1, last + 1));
  await change(store.Tickets, 'big-1', last + 2);
  expect(await kept('big-1')).toEqual(range(2 * OUTBOX_TRIMMED_PER_WRITE + 1, last + 2));
  await publish('big-1', [last + 1, last + 2]);
  await change(store.Tickets, 'big-1', last + 3);
  expect(await kept('big-1')).toEqual(range(last + 3 - OUTBOX_KEEP + 1, last + 3));
});

test('two writers of one aggregate at once trim each published entry once, never an unpublished one', async () => {
  // One connection: the two writes and their trims reach FerretDB interleaved, one at a time (both
  // read the outbox before either removes anything), as two replicas' writers can on MongoDB.
  const single = await connectMongo({ uri: store.uri, dbName: store.dbName, maxPoolSize: 1 });
  try {
    const Same = single.model<OutboxTicket>('Ticket', ticketSchema());
    await store.Tickets.create({
      _id: 'race-1',
      title: 'Jazz',
      version: 1,
      ...outboxFields(ticketEvent('race-1', 1)),
    });
    for (let version = 2; version <= OUTBOX_KEEP; version++) await change(store.Tickets, 'race-1', version);
    await publish('race-1', [1, 2]);
    const write = (version: number) =>
      Same.updateOne(
        { _id: 'race-1' },
        withOutbox<OutboxTicket>({ $set: { title: `v${version}` } }, ticketEvent('race-1', version)),
      );
    await Promise.all([write(OUTBOX_KEEP + 1), write(OUTBOX_KEEP + 2)]);
    expect(await kept('race-1')).toEqual(range(3, OUTBOX_KEEP + 2));
  } finally {
    await single.close();
  }
});

test('ObjectId aggregates are trimmed too, whether the filter names the id as an ObjectId or its hex', async () => {
  const _id = new Types.ObjectId();
  const id = _id.toHexString();
  const first = ticketEvent(id, 1);
  await store.Listings.create({ _id, version: 1, ...outboxFields(first) });
  await store.db.collection<{ _id: string }>(OUTBOX_PUBLISHED).insertOne({ _id: first.id });
  // Versions OUTBOX_KEEP + 1 (odd: the ObjectId) and + 2 (even: its hex) are the writes that trim.
  for (let version = 2; version <= OUTBOX_KEEP + 2; version++) {
    const next = ticketEvent(id, version);
    const filter = version % 2 ? { _id, version: version - 1 } : { _id: id, version: version - 1 };
    await store.Listings.updateOne(filter, withOutbox<OutboxListing>({ $set: { version } }, next));
    await store.db.collection<{ _id: string }>(OUTBOX_PUBLISHED).insertOne({ _id: next.id });
  }
  const doc = await store.Listings.findById(_id, { outbox: 1 }).lean();
  expect(doc?.outbox.map((e) => e.aggregateVersion)).toEqual(range(3, OUTBOX_KEEP + 2));
});

test('only an update that adds events by `_id` trims: the others read and write nothing more', async () => {
  const last = OUTBOX_KEEP + 1;
  await store.Tickets.create({
    _id: 'quiet-1',
    title: 'Jazz',
    version: 1,
    ...outboxFields(ticketEvent('quiet-1', 1)),
  });
  for (let version = 2; version <= last; version++) await change(store.Tickets, 'quiet-1', version);
  await publish('quiet-1', range(1, last));
  const calls: string[] = [];
  store.db.set('debug', (collection: string, method: string) => calls.push(`${collection}.${method}`));
  try {
    await store.Tickets.updateOne({ _id: 'quiet-1' }, { $set: { title: 'Blues' } });
    await store.Tickets.updateOne({ _id: 'quiet-1' }, { $push: { tags: 'late' } });
    // Nothing left once mongoose drops what the schema does not know: no write at all, and no error.
    await expect(
      store.Tickets.updateOne({ _id: 'quiet-1' }, { $set: { unknown: 1 } }),
    ).resolves.toMatchObject({
      acknowledged: false,
    });
    // An event, but a filter that names no `_id`: which document it changed is not known here.
    await store.Tickets.updateOne(
      { title: 'Blues' },
      withOutbox<OutboxTicket>({ $set: { version: last + 1 } }, ticketEvent('quiet-1', last + 1)),
    );
  } finally {
    store.db.set('debug', false);
  }
  expect(calls).toEqual(['tickets.updateOne', 'tickets.updateOne', 'tickets.updateOne']);
  expect(await kept('quiet-1')).toEqual(range(1, last + 1));
  // The next write by `_id` trims what the others left.
  await change(store.Tickets, 'quiet-1', last + 2);
  expect(await kept('quiet-1')).toEqual(range(4, last + 2));
});
