import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { isSubjectOf, OrderCreated, TicketCreated } from './catalogue';
import type { DomainEvent } from './defineEvent';
import { OutboxRelay, type OutboxSource } from './OutboxRelay';
import { outboxFields, outboxPlugin, type WithOutbox } from './outbox';

// Several services in one process (the test stack, the benches) each run a relay, and every write
// is announced to all of them: a relay must only look for its own service's aggregates.
interface Doc extends WithOutbox {
  _id: string;
}

let db: Connection;
let Tickets: Model<Doc>;
let Orders: Model<Doc>;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('relay_carries'),
  });
  const schema = () => new Schema<Doc>({ _id: String }).plugin(outboxPlugin);
  Tickets = db.model<Doc>('Ticket', schema());
  Orders = db.model<Doc>('Order', schema());
  await ensureIndexes(db);
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await db.dropDatabase();
  await db.close();
});

/** The model as a relay sees it, counting the reads the relay makes of its collection. */
function counted(model: Model<Doc>): { source: OutboxSource; reads: () => number } {
  let reads = 0;
  const collection = new Proxy(model.collection, {
    get(target, key, receiver) {
      if (key === 'findOne' || key === 'find') reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const conn = new Proxy(db, {
    get: (target, key, receiver) =>
      key === 'collection'
        ? (name: string) => (name === model.collection.collectionName ? collection : target.collection(name))
        : Reflect.get(target, key, receiver),
  });
  return { source: { collection: model.collection, db: conn }, reads: () => reads };
}

function relayOf(source: OutboxSource, domain: string, published: DomainEvent[]) {
  const relay = new OutboxRelay({
    models: [source],
    publisher: {
      publish: async (e: DomainEvent) => {
        published.push(e);
        return { duplicate: false, seq: published.length };
      },
    },
    carries: (type) => isSubjectOf(domain, type),
    pollIntervalMs: 3_600_000,
    fullScanIntervalMs: 3_600_000,
  });
  relays.push(relay);
  return relay.start();
}

test("a relay publishes its own service's writes and never reads its collection for another's", async () => {
  const tickets = counted(Tickets);
  const orders = counted(Orders);
  const ticketEvents: DomainEvent[] = [];
  const orderEvents: DomainEvent[] = [];
  const ticketRelay = relayOf(tickets.source, 'tickets', ticketEvents);
  const orderRelay = relayOf(orders.source, 'orders', orderEvents);
  await Promise.all([ticketRelay.flush(), orderRelay.flush()]); // the start-up scans

  const ticket = TicketCreated.create({
    aggregateId: `t-${Date.now()}`,
    aggregateVersion: 1,
    data: { title: 'Jazz', priceCents: 100, sellerId: 's' },
  });
  await Tickets.create({ _id: ticket.aggregateId, ...outboxFields(ticket) });
  const order = OrderCreated.create({
    aggregateId: `o-${Date.now()}`,
    aggregateVersion: 1,
    data: {
      ticketId: ticket.aggregateId,
      buyerId: 'b',
      priceCents: 100,
      expiresAt: new Date().toISOString(),
    },
  });
  await Orders.create({ _id: order.aggregateId, ...outboxFields(order) });
  const before = { tickets: tickets.reads(), orders: orders.reads() };

  ticketRelay.kick();
  orderRelay.kick();
  await new Promise((r) => setTimeout(r, 500));

  expect(ticketEvents.map((e) => e.id)).toEqual([ticket.id]);
  expect(orderEvents.map((e) => e.id)).toEqual([order.id]);
  // One lookup each, of its own aggregate (a string id: one findOne).
  expect(tickets.reads() - before.tickets).toBe(1);
  expect(orders.reads() - before.orders).toBe(1);
});

test('event types are placed under the domain of their subject', () => {
  expect(isSubjectOf('tickets', 'TicketUpdated')).toBe(true);
  expect(isSubjectOf('orders', 'TicketUpdated')).toBe(false);
  expect(isSubjectOf('payments', 'ChargeRefunded')).toBe(true);
  expect(isSubjectOf('tickets', 'NoSuchEvent')).toBe(false);
});
