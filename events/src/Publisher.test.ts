import { TicketCreated } from './catalogue';
import type { DomainEvent } from './defineEvent';
import { eventually, useTestEvents } from './testing';

const events = useTestEvents('publisher');

const ticket = (id: string) =>
  TicketCreated.create({
    aggregateId: id,
    aggregateVersion: 1,
    data: { title: 'Show', priceCents: 2500, sellerId: 'u1' },
  });

test('an event published twice with the same id is stored once and reaches a consumer once', async () => {
  const received: DomainEvent[] = [];
  await events().consume({
    durable: 'dedupe',
    events: [TicketCreated],
    handle: async (e) => void received.push(e),
  });

  const event = ticket('t-1');
  const first = await events().publisher.publish(event);
  const retry = await events().publisher.publish(event);
  expect(first.duplicate).toBe(false);
  expect(retry).toEqual({ seq: first.seq, duplicate: true });

  // Events arrive in stream order, so once the later one is in, the earlier one has had its chance.
  await events().publisher.publish(ticket('t-2'));
  await eventually(() => received.some((e) => e.aggregateId === 't-2'));
  expect(received.map((e) => e.aggregateId)).toEqual(['t-1', 't-2']);
});

test('an event that does not match its schema is refused before it is published', () => {
  expect(() =>
    TicketCreated.create({
      aggregateId: 't',
      aggregateVersion: 1,
      data: { title: 'x', priceCents: -1, sellerId: 'u' },
    }),
  ).toThrow(/priceCents/);
});
