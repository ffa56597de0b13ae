import { type DomainEvent, outboxFields, TicketCreated } from '@ticketing/events';
import { useTestDatabase } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { registerModels, type TicketDoc } from './models';
import { newTicket } from './newTicket';
import { TicketWriter } from './TicketWriter';

// The one way a ticket changes after it is listed, on the real FerretDB: the change, the
// TicketUpdated recorded with it (read from the outbox, as the relay publishes it), and the listing
// told of the ticket as it ends.

const database = useTestDatabase('ticket_writer', registerModels);
let writer: TicketWriter;
let kicks = 0;
let heard: TicketDoc[] = [];

beforeAll(() => {
  writer = new TicketWriter(
    database.models,
    () => kicks++,
    (doc) => heard.push(doc),
  );
});
beforeEach(() => {
  heard = [];
});

async function listed(title = 'Jazz night') {
  const _id = new Types.ObjectId();
  const event = TicketCreated.create({
    aggregateId: _id.toHexString(),
    aggregateVersion: 1,
    data: { title, priceCents: 2500, sellerId: 'seller-1' },
  });
  await database.models.Tickets.create({
    ...newTicket({ _id, title, priceCents: 2500, sellerId: 'seller-1' }),
    ...outboxFields(event),
  });
  return _id;
}
const announced = async (id: Types.ObjectId) =>
  ((await database.models.Tickets.findById(id).lean<TicketDoc>())?.outbox ?? []).map(
    (e) => JSON.parse(e.event) as DomainEvent<string, Record<string, unknown>>,
  );

test('a reservation is written, announced with the whole ticket as it ends, and heard by the listing', async () => {
  const id = await listed();
  const kicksBefore = kicks;
  const reservedUntil = new Date('2030-01-01T10:15:00.000Z');
  const next = await writer.change(id, () => ({ status: 'RESERVED', reservedUntil, orderId: 'order-1' }));

  expect(next).toMatchObject({ status: 'RESERVED', reservedUntil, orderId: 'order-1', version: 2 });
  expect(await database.models.Tickets.findById(id).lean()).toMatchObject({
    status: 'RESERVED',
    orderId: 'order-1',
    version: 2,
  });
  const [, updated] = await announced(id);
  expect(updated).toMatchObject({
    type: 'TicketUpdated',
    aggregateId: id.toHexString(),
    aggregateVersion: 2,
    data: {
      title: 'Jazz night',
      priceCents: 2500,
      sellerId: 'seller-1',
      status: 'RESERVED',
      reservedUntil: '2030-01-01T10:15:00.000Z',
      orderId: 'order-1',
    },
  });
  expect(heard).toEqual([next]);
  expect(kicks).toBe(kicksBefore + 1);
});

test('a ticket made available again is announced with no reservation', async () => {
  const id = await listed();
  await writer.change(id, () => ({ status: 'RESERVED', reservedUntil: new Date(), orderId: 'order-1' }));
  await writer.change(id, () => ({
    status: 'AVAILABLE',
    reservedUntil: null,
    orderId: null,
    closedOrderIds: ['order-1'],
  }));
  const events = await announced(id);
  expect(events.map((e) => [e.type, e.aggregateVersion])).toEqual([
    ['TicketCreated', 1],
    ['TicketUpdated', 2],
    ['TicketUpdated', 3],
  ]);
  // Listed without a currency (as before prices carried one): announced in US dollars.
  expect(events[2]?.data).toEqual({
    title: 'Jazz night',
    priceCents: 2500,
    currency: 'USD',
    sellerId: 'seller-1',
    status: 'AVAILABLE',
    reservedUntil: null,
    orderId: null,
  });
});

test('each change decides on the ticket as the previous one left it', async () => {
  const id = await listed();
  const titles = ['A', 'B', 'C'];
  const seen: string[] = [];
  await Promise.all(
    titles.map((title) =>
      writer.change(id, (current) => {
        seen.push(current.title);
        return { title };
      }),
    ),
  );
  expect(seen).toEqual(['Jazz night', 'A', 'B']);
  expect(await database.models.Tickets.findById(id).lean()).toMatchObject({ title: 'C', version: 4 });
});

test('nothing to change: the ticket as it is, nothing written or announced, the listing told all the same', async () => {
  const id = await listed();
  const kicksBefore = kicks;
  const same = await writer.change(id, () => null);
  expect(same).toMatchObject({ status: 'AVAILABLE', version: 1 });
  expect(await announced(id)).toHaveLength(1);
  expect(heard).toEqual([same]);
  expect(kicks).toBe(kicksBefore);
});

test('a refusal is thrown, with nothing written, announced or heard', async () => {
  const id = await listed();
  const refused = new Error('The ticket is reserved');
  await expect(writer.change(id, () => refused)).rejects.toBe(refused);
  expect(await database.models.Tickets.findById(id).lean()).toMatchObject({
    status: 'AVAILABLE',
    version: 1,
  });
  expect(await announced(id)).toHaveLength(1);
  expect(heard).toEqual([]);
});

test('an unknown ticket is null, and the listing hears nothing', async () => {
  expect(await writer.change(new Types.ObjectId(), () => ({ title: 'x' }))).toBeNull();
  expect(heard).toEqual([]);
});

test('the listing is optional', async () => {
  const id = await listed();
  const quiet = new TicketWriter(database.models, () => undefined);
  expect(await quiet.change(id, () => ({ priceCents: 3000 }))).toMatchObject({
    priceCents: 3000,
    version: 2,
  });
});
