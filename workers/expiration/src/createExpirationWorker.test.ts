import {
  connectEvents,
  type EventOf,
  type EventsConnection,
  OrderCancelled,
  OrderCreated,
  OrderExpired,
} from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { testDatabaseName } from '@ticketing/kit/testing';
import { createExpirationWorker, type ExpirationWorker } from './createExpirationWorker';
import { readExpirationSettings } from './settings';

// One delayed job per order (a redelivered OrderCreated adds nothing), removed when the order is
// cancelled, and OrderExpired published when it comes due.

let worker: ExpirationWorker;
let events: EventsConnection;
const announced: Array<EventOf<typeof OrderExpired>> = [];

beforeAll(async () => {
  const stream = testStream('expiration');
  const settings = readExpirationSettings({ ...process.env, REDIS_PREFIX: `${testDatabaseName('exp')}:` });
  worker = await createExpirationWorker({ settings, events: { stream } });
  events = await connectEvents({ url: settings.NATS_URL, stream });
  await events.consume({
    durable: 'watch',
    events: [OrderExpired],
    handle: async (e) => {
      announced.push(e);
    },
  });
});
afterAll(async () => {
  await worker.queue.obliterate({ force: true });
  await worker.stop();
  await dropTestStreams(events);
  await events.close();
});

const created = (orderId: string, expiresAt: Date) =>
  OrderCreated.create({
    aggregateId: orderId,
    aggregateVersion: 1,
    data: { ticketId: 't1', buyerId: 'b1', priceCents: 100, expiresAt: expiresAt.toISOString() },
  });

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

test('a redelivered OrderCreated schedules one job; a cancellation removes it', async () => {
  const later = new Date(Date.now() + 60_000);
  await events.publisher.publish(created('order-a', later));
  await events.publisher.publish(created('order-a', later)); // same order, another event id
  const job = await until(async () => (await worker.queue.getJob('order-a')) ?? undefined);
  expect(job.data).toEqual({ orderId: 'order-a', expiresAt: later.toISOString() });
  expect(await worker.queue.getDelayedCount()).toBe(1);

  await events.publisher.publish(
    OrderCancelled.create({
      aggregateId: 'order-a',
      aggregateVersion: 2,
      data: { ticketId: 't1', buyerId: 'b1', reason: 'cancelled' },
    }),
  );
  await until(async () => ((await worker.queue.getJob('order-a')) ? undefined : true));
});

test('at expiresAt it publishes OrderExpired for the order, once', async () => {
  const expiresAt = new Date(Date.now() + 300);
  await events.publisher.publish(created('order-b', expiresAt));
  const event = await until(async () => announced.find((e) => e.aggregateId === 'order-b'));
  expect(event).toMatchObject({ id: 'order-b.expired', data: { expiresAt: expiresAt.toISOString() } });
  expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(expiresAt.getTime());
  expect(announced.filter((e) => e.aggregateId === 'order-b')).toHaveLength(1);
});
