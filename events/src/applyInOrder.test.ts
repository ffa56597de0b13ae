import { connectMongo } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import type { Connection } from 'mongoose';
import { applyInOrder, type Projected } from './applyInOrder';
import { TicketCreated, TicketUpdated } from './catalogue';
import type { DomainEvent } from './defineEvent';
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
