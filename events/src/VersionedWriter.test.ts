import { connectMongo } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { TicketUpdated } from './catalogue';
import { outboxFields, outboxPlugin } from './outbox';
import { type VersionedDoc, VersionedWriter } from './VersionedWriter';

// An aggregate in a real FerretDB, changed the way the subgraphs change theirs.
interface CounterDoc extends VersionedDoc {
  _id: string;
  hits: number;
}

/** Another replica's write, landing between this writer's read and its write (armed per test). */
let rival: (() => Promise<unknown>) | undefined;
let rivalKeepsWinning = false;

const schema = new Schema<CounterDoc>({
  _id: { type: String, required: true },
  hits: { type: Number, required: true },
  version: { type: Number, required: true },
});
schema.plugin(outboxPlugin);
schema.pre('updateOne', async () => {
  const write = rival;
  if (!rivalKeepsWinning) rival = undefined;
  await write?.();
});

let db: Connection;
let Counters: Model<CounterDoc>;
let kicks = 0;
let writer: VersionedWriter<CounterDoc>;

beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('versioned-writer'),
  });
  Counters = db.model<CounterDoc>('Counter', schema, 'counters');
  writer = new VersionedWriter({ model: Counters, kickOutbox: () => kicks++, maxAttempts: 3 });
});
afterEach(() => {
  rival = undefined;
  rivalKeepsWinning = false;
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

let seq = 0;
async function givenCounter(): Promise<string> {
  const _id = `counter-${++seq}`;
  await Counters.create({ _id, hits: 0, version: 1, ...outboxFields() });
  return _id;
}

/** The other replica: a raw write (no hooks) bumping the version. */
const rivalHit = (id: string) => () =>
  db.collection<CounterDoc>('counters').updateOne({ _id: id }, { $inc: { hits: 10, version: 1 } });

const updated = (next: CounterDoc) =>
  TicketUpdated.create({
    aggregateId: next._id,
    aggregateVersion: next.version,
    data: {
      title: 'Opera',
      priceCents: next.hits,
      sellerId: 's',
      status: 'AVAILABLE',
      reservedUntil: null,
      orderId: null,
    },
  });

const stored = (id: string) => Counters.findById(id).lean<CounterDoc>();

test('given a counter, when it is changed, then the fields, the version bump and the event land in one write', async () => {
  const id = await givenCounter();
  const writes: string[] = [];
  db.set('debug', (collection: string, method: string) => {
    if (collection === 'counters') writes.push(method);
  });
  const before = kicks;
  const next = await writer.change(id, (c) => ({ set: { hits: c.hits + 1 }, events: (n) => [updated(n)] }));
  db.set('debug', false);

  expect(next).toMatchObject({ hits: 1, version: 2 });
  expect(writes.filter((m) => m !== 'findOne')).toEqual(['updateOne']);
  const doc = await stored(id);
  expect(doc).toMatchObject({ hits: 1, version: 2 });
  expect(doc?.outbox.map((e) => [e.type, e.aggregateVersion])).toEqual([['TicketUpdated', 2]]);
  expect(JSON.parse(doc?.outbox[0]?.event ?? '{}').data.priceCents).toBe(1);
  expect(kicks).toBe(before + 1);
});

test('given another writer wins between the read and the write, then it decides again on top of that write', async () => {
  const id = await givenCounter();
  rival = rivalHit(id);
  const seen: number[] = [];
  const next = await writer.change(id, (c) => {
    seen.push(c.version);
    return { set: { hits: c.hits + 1 }, events: (n) => [updated(n)] };
  });

  expect(seen).toEqual([1, 2]);
  expect(next).toMatchObject({ hits: 11, version: 3 });
  const doc = await stored(id);
  expect(doc).toMatchObject({ hits: 11, version: 3 });
  expect(doc?.outbox.map((e) => e.aggregateVersion)).toEqual([3]);
});

test('given other writers keep winning, then it gives up after its bounded attempts', async () => {
  const id = await givenCounter();
  rival = rivalHit(id);
  rivalKeepsWinning = true;
  let decisions = 0;
  await expect(
    writer.change(id, (c) => {
      decisions++;
      return { set: { hits: c.hits + 1 }, events: (n) => [updated(n)] };
    }),
  ).rejects.toThrow(/keeps changing/);
  expect(decisions).toBe(3);
  expect((await stored(id))?.outbox).toEqual([]);
});

test('given a decision of null, then nothing is written and the relay is not kicked', async () => {
  const id = await givenCounter();
  const before = kicks;
  const same = await writer.change(id, () => null);
  expect(same).toMatchObject({ _id: id, hits: 0, version: 1 });
  const doc = await stored(id);
  expect(doc).toMatchObject({ hits: 0, version: 1, outbox: [] });
  expect(kicks).toBe(before);
});

test('given a decision that is an Error, then that error is thrown and nothing is written', async () => {
  const id = await givenCounter();
  const refusal = new Error('not yours');
  await expect(writer.change(id, () => refusal)).rejects.toBe(refusal);
  expect(await stored(id)).toMatchObject({ hits: 0, version: 1, outbox: [] });
});

test('given no such aggregate, then it returns null without deciding', async () => {
  let decided = false;
  const none = await writer.change('counter-missing', () => {
    decided = true;
    return null;
  });
  expect(none).toBeNull();
  expect(decided).toBe(false);
});

test('changes of one aggregate from this process are serialised: none is lost', async () => {
  const id = await givenCounter();
  const inc = (c: CounterDoc) => ({ set: { hits: c.hits + 1 }, events: (n: CounterDoc) => [updated(n)] });
  await Promise.all(Array.from({ length: 8 }, () => writer.change(id, inc)));
  const doc = await stored(id);
  expect(doc).toMatchObject({ hits: 8, version: 9 });
  expect(doc?.outbox.map((e) => e.aggregateVersion)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
});

describe('given the copy its caller read a moment ago', () => {
  test('when it is current, then the change is written with no read of its own', async () => {
    const id = await givenCounter();
    const copy = (await stored(id)) as CounterDoc;
    const reads: string[] = [];
    db.set('debug', (collection: string, method: string, filter: unknown) => {
      // The outbox's trim after the write reads too (outbox.50 exists?): not the writer's read.
      const trim = JSON.stringify(filter).includes('outbox.');
      if (collection === 'counters' && method === 'findOne' && !trim) reads.push(method);
    });
    const next = await writer.change(
      id,
      (c) => ({ set: { hits: c.hits + 1 }, events: (n) => [updated(n)] }),
      copy,
    );
    db.set('debug', false);
    expect(next).toMatchObject({ hits: 1, version: 2 });
    expect(reads).toEqual([]);
  });

  test('when another writer changed it since, then it decides again on a fresh read, never writing over that change', async () => {
    const id = await givenCounter();
    const copy = (await stored(id)) as CounterDoc;
    await rivalHit(id)();
    const seen: number[] = [];
    const next = await writer.change(
      id,
      (c) => {
        seen.push(c.version);
        return { set: { hits: c.hits + 1 }, events: (n) => [updated(n)] };
      },
      copy,
    );
    expect(seen).toEqual([1, 2]);
    expect(next).toMatchObject({ hits: 11, version: 3 });
    expect(await stored(id)).toMatchObject({ hits: 11, version: 3 });
  });

  test('when the copy calls for nothing, then the answer comes from a fresh read', async () => {
    const id = await givenCounter();
    const copy = (await stored(id)) as CounterDoc;
    await rivalHit(id)();
    const answer = await writer.change(
      id,
      (c) => (c.hits >= 10 ? { set: { hits: 0 }, events: () => [] } : null),
      {
        ...copy,
        hits: 0,
      },
    );
    // The stale copy (0 hits) asked for nothing; the stored counter (10 hits) asks to reset.
    expect(answer).toMatchObject({ hits: 0, version: 3 });
  });
});
