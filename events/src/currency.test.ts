import { z } from 'zod';
import {
  ChargeAttempted,
  ChargeCreated,
  ChargeRefunded,
  OrderCreated,
  TicketCreated,
  TicketUpdated,
} from './catalogue';
import { defineEvent } from './defineEvent';

// Amounts carry their currency since schemaVersion 1 gained an optional `currency`. Through a
// rolling deploy both shapes meet both kinds of consumer: each must read what the other writes.

const envelope = { aggregateId: 'a1', aggregateVersion: 1 };

test('every event with an amount writes its currency beside it', () => {
  const events = [
    TicketCreated.create({
      ...envelope,
      data: { title: 'Jazz', priceCents: 4999, currency: 'USD', sellerId: 's' },
    }),
    TicketUpdated.create({
      ...envelope,
      data: {
        title: 'Jazz',
        priceCents: 4999,
        currency: 'USD',
        sellerId: 's',
        status: 'AVAILABLE',
        reservedUntil: null,
        orderId: null,
      },
    }),
    OrderCreated.create({
      ...envelope,
      data: {
        ticketId: 't',
        buyerId: 'b',
        priceCents: 4999,
        currency: 'USD',
        expiresAt: new Date().toISOString(),
      },
    }),
    ChargeAttempted.create({
      ...envelope,
      data: { orderId: 'o', amountCents: 4999, currency: 'USD', attempt: 1 },
    }),
    ChargeCreated.create({
      ...envelope,
      data: { orderId: 'o', amountCents: 4999, currency: 'USD', stripeId: 'pi' },
    }),
    ChargeRefunded.create({
      ...envelope,
      data: { orderId: 'o', amountCents: 4999, currency: 'USD', stripeId: 'pi', stripeRefundId: 're' },
    }),
  ];
  for (const event of events) {
    expect({ type: event.type, currency: (event.data as { currency: string }).currency }).toEqual({
      type: event.type,
      currency: 'USD',
    });
    expect(event.schemaVersion).toBe(1);
  }
});

test('an event published before currencies (no `currency`) is read in US dollars, its amount unchanged', () => {
  const old = {
    id: 'e1',
    type: 'OrderCreated',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    ...envelope,
    data: { ticketId: 't', buyerId: 'b', priceCents: 2550, expiresAt: new Date().toISOString() },
  };
  expect(OrderCreated.parse(old).data).toMatchObject({ priceCents: 2550, currency: 'USD' });
  expect(
    ChargeCreated.parse({
      ...old,
      type: 'ChargeCreated',
      data: { orderId: 'o', amountCents: 2550, stripeId: 'pi' },
    }).data,
  ).toEqual({ orderId: 'o', amountCents: 2550, currency: 'USD', stripeId: 'pi' });
});

test('a consumer built before currencies reads a new event: the field it does not know is dropped', () => {
  // TicketCreated as the catalogue defined it before `currency`.
  const before = defineEvent({
    type: 'TicketCreated',
    subject: 'tickets.created',
    schemaVersion: 1,
    data: z.object({
      title: z.string(),
      priceCents: z.number().int().nonnegative(),
      sellerId: z.string().min(1),
    }),
  });
  const now = TicketCreated.create({
    ...envelope,
    data: { title: 'Jazz', priceCents: 4999, currency: 'USD', sellerId: 's' },
  });
  expect(before.parse(JSON.parse(JSON.stringify(now))).data).toEqual({
    title: 'Jazz',
    priceCents: 4999,
    sellerId: 's',
  });
});

test('a currency the marketplace does not sell in is refused (the consumer parks it, never misreads it)', () => {
  const event = TicketCreated.create({
    ...envelope,
    data: { title: 'Jazz', priceCents: 1, currency: 'USD', sellerId: 's' },
  });
  expect(() => TicketCreated.parse({ ...event, data: { ...event.data, currency: 'EUR' } })).toThrow(
    z.ZodError,
  );
});
