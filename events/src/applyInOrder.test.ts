import { connectMongo } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import type { Connection, mongo } from 'mongoose';
import { applyInOrder, type Projected } from './applyInOrder';
import { TicketCreated, TicketUpdated } from './catalogue';
import type { DomainEvent } from './defineEvent';
import { RetryLater } from './ordering';
import { eventually, useTestEvents } from './testing';

// A projection fed by JetStream into FerretDB, the way orders keeps its copy of tickets.
interface TicketCopy extends Projected {
  title: string;
  priceCents: number;
}

const events = useTestEvents('ordering');
let db: Connection;
beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('ordering'),
  });
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

const created = TicketCreated.create({
  aggregateId: 'ticket-1',
  aggregateVersion: 1,
  data: { title: 'Opera', priceCents: 1000, sellerId: 's' },
});
const updated = (version: number, priceCents: number) =>
  TicketUpdated.create({
    aggregateId: 'ticket-1',
    aggregateVersion: version,
    data: {
      title: 'Opera',
      priceCents,
      sellerId: 's',
      status: 'AVAILABLE',
      reservedUntil: null,
      orderId: null,
    },
  });

test('versions 1, 3, 2 arriving in that order end applied as 1, 2, 3; a replayed 2 is dropped', async () => {
  const copies = db.collection<TicketCopy>('tickets');
  const applied: number[] = [];
  const dropped: number[] = [];
  await events().consume({
    durable: 'orders',
    events: [TicketCreated, TicketUpdated],
    handle: async (event: DomainEvent<string, { title: string; priceCents: number }>) => {
      const outcome = await applyInOrder(copies, event, {
        title: event.data.title,
        priceCents: event.data.priceCents,
      });
      (outcome === 'applied' ? applied : dropped).push(event.aggregateVersion);
    },
  });

  const v2 = updated(2, 2000);
  for (const e of [created, updated(3, 3000), v2]) await events().publisher.publish(e);
  await eventually(() => applied.length === 3);
  expect(applied).toEqual([1, 2, 3]);
  expect(await copies.findOne({ _id: 'ticket-1' })).toMatchObject({ version: 3, priceCents: 3000 });

  // The same version 2 again, as a redelivery or replay would bring it (a new message id).
  await events().publisher.publish({ ...v2, id: `${v2.id}-replayed` });
  await eventually(() => dropped.length === 1);
  expect(dropped).toEqual([2]);
  expect(await copies.findOne({ _id: 'ticket-1' })).toMatchObject({ version: 3, priceCents: 3000 });
});

// Direct calls, one aggregate each: what a handler gets back, and how it waits.
const copyOf = (aggregateId: string, version: number, priceCents: number) =>
  ({ ...updated(version, priceCents), aggregateId }) as DomainEvent;
const fields = (priceCents: number) => ({ title: 'Opera', priceCents });

/** The real collection, with a competing delivery landing just before applyInOrder's write. */
function racedBy(copies: mongo.Collection<TicketCopy>, competitor: () => Promise<unknown>) {
  let raced = false;
  return new Proxy(copies, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if ((prop !== 'insertOne' && prop !== 'updateOne') || raced) return value.bind(target);
      return async (...args: unknown[]) => {
        raced = true;
        await competitor();
        return value.apply(target, args);
      };
    },
  });
}

test('a version that comes too early waits for the one it needs, named in the message', async () => {
  const copies = db.collection<TicketCopy>('early');
  await expect(applyInOrder(copies, copyOf('early-1', 3, 300), fields(300))).rejects.toThrow(
    new RetryLater('TicketUpdated v3 of early-1 waits for v1'),
  );
  await applyInOrder(copies, { ...created, aggregateId: 'early-1' }, fields(100));
  await expect(applyInOrder(copies, copyOf('early-1', 3, 300), fields(300))).rejects.toThrow(
    'TicketUpdated v3 of early-1 waits for v2',
  );
  expect(await copies.findOne({ _id: 'early-1' })).toEqual({ _id: 'early-1', version: 1, ...fields(100) });
});

test('an older or repeated version is a duplicate and changes nothing', async () => {
  const copies = db.collection<TicketCopy>('repeated');
  await applyInOrder(copies, { ...created, aggregateId: 'repeat-1' }, fields(100));
  expect(await applyInOrder(copies, copyOf('repeat-1', 2, 200), fields(200))).toBe('applied');
  expect(await applyInOrder(copies, copyOf('repeat-1', 2, 999), fields(999))).toBe('duplicate');
  expect(await applyInOrder(copies, { ...created, aggregateId: 'repeat-1' }, fields(999))).toBe('duplicate');
  expect(await copies.findOne({ _id: 'repeat-1' })).toEqual({ _id: 'repeat-1', version: 2, ...fields(200) });
});

test('a concurrent delivery of version 1 that inserts first makes this one a duplicate', async () => {
  const copies = db.collection<TicketCopy>('racing');
  const first = { _id: 'race-1', version: 1, ...fields(100) };
  const raced = racedBy(copies, () => copies.insertOne(first));
  expect(await applyInOrder(raced, { ...created, aggregateId: 'race-1' }, fields(555))).toBe('duplicate');
  expect(await copies.findOne({ _id: 'race-1' })).toEqual(first);
});

test('a concurrent delivery of the same update that writes first makes this one a duplicate', async () => {
  const copies = db.collection<TicketCopy>('racing');
  await copies.insertOne({ _id: 'race-2', version: 1, ...fields(100) });
  const raced = racedBy(copies, () =>
    copies.updateOne({ _id: 'race-2' }, { $set: { version: 2, priceCents: 200 } }),
  );
  expect(await applyInOrder(raced, copyOf('race-2', 2, 555), fields(555))).toBe('duplicate');
  expect(await copies.findOne({ _id: 'race-2' })).toEqual({ _id: 'race-2', version: 2, ...fields(200) });
});
