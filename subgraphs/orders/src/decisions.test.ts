import { ChargeAttempted, ChargeCreated, ChargeFailed, type OrderStatus } from '@ticketing/events';
import { GraphQLError } from 'graphql';
import {
  decideCancellation,
  decideExpiry,
  decideOnPaymentEvent,
  fieldsAfter,
  type OrderFacts,
  type PaymentEvent,
} from './decisions';

// The orders subgraph's decisions, given an order as read and what happened. No database.

const NOW = new Date('2026-01-01T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const order = (facts: Partial<OrderFacts> = {}): OrderFacts => ({
  status: 'CREATED',
  buyerId: 'buyer',
  expiresAt: minutes(15),
  attemptId: null,
  settledAttemptIds: [],
  ...facts,
});
const FINAL: OrderStatus[] = ['COMPLETE', 'CANCELLED'];

const attempted = (paymentId: string) =>
  ChargeAttempted.create({
    aggregateId: paymentId,
    aggregateVersion: 1,
    data: { orderId: 'order', amountCents: 1000, attempt: 1 },
  });
const charged = (paymentId: string) =>
  ChargeCreated.create({
    aggregateId: paymentId,
    aggregateVersion: 2,
    data: { orderId: 'order', amountCents: 1000, stripeId: 'pi_1' },
  });
const declined = (paymentId: string, final: boolean) =>
  ChargeFailed.create({
    aggregateId: paymentId,
    aggregateVersion: 2,
    data: { orderId: 'order', reason: 'card_declined', attempts: final ? 3 : 1, final },
  });

/** Applies the decisions on each event one after the other, the way the lifecycle writes them. */
function afterEvents(start: OrderFacts, ...events: PaymentEvent[]): OrderFacts {
  let facts = start;
  for (const event of events) {
    const t = decideOnPaymentEvent(facts, event);
    if (t) facts = { ...facts, ...fieldsAfter(facts, t) };
  }
  return facts;
}

describe('expiry', () => {
  test('given an unpaid order whose time is up, when the sweeper checks it, then it is cancelled as expired', () => {
    expect(decideExpiry(order({ expiresAt: minutes(-1) }), NOW, true)).toEqual({
      status: 'CANCELLED',
      reason: 'expired',
    });
  });

  test('given an order awaiting a payment whose time is up, then it is cancelled as expired all the same', () => {
    const awaiting = order({ status: 'AWAITING_PAYMENT', attemptId: 'p1', expiresAt: minutes(-1) });
    expect(decideExpiry(awaiting, NOW, true)).toEqual({ status: 'CANCELLED', reason: 'expired' });
  });

  test('given an order not yet due, when the sweeper checks it, then nothing happens', () => {
    expect(decideExpiry(order({ expiresAt: minutes(1) }), NOW, true)).toBeNull();
  });

  test('given an order not yet due by our clock, when the expiration worker says its time is up, then it is cancelled', () => {
    expect(decideExpiry(order({ expiresAt: minutes(1) }), NOW, false)).toEqual({
      status: 'CANCELLED',
      reason: 'expired',
    });
  });

  test.each(FINAL)('given a %s order, when it expires, then nothing happens', (status) => {
    expect(decideExpiry(order({ status, expiresAt: minutes(-1) }), NOW, false)).toBeNull();
  });
});

describe('cancellation', () => {
  test.each<OrderStatus>(['CREATED', 'AWAITING_PAYMENT'])(
    'given a %s order, when its buyer cancels, then it is cancelled',
    (status) => {
      expect(decideCancellation(order({ status }), 'buyer')).toEqual({
        status: 'CANCELLED',
        reason: 'cancelled',
      });
    },
  );

  test('given an order, when someone else cancels it, then FORBIDDEN', () => {
    const refusal = decideCancellation(order(), 'someone-else');
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions.code).toBe('FORBIDDEN');
  });

  test.each([
    ['COMPLETE', 'The order is complete; it can no longer be cancelled'],
    ['CANCELLED', 'The order is cancelled; it can no longer be cancelled'],
  ] as const)('given a %s order, when its buyer cancels, then CONFLICT saying why', (status, message) => {
    const refusal = decideCancellation(order({ status }), 'buyer');
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal).toMatchObject({ message, extensions: { code: 'CONFLICT' } });
  });
});

describe('payment outcomes', () => {
  test('given a new order, when a payment attempt starts, then it awaits that payment', () => {
    expect(decideOnPaymentEvent(order(), attempted('p1'))).toEqual({
      status: 'AWAITING_PAYMENT',
      attemptId: 'p1',
    });
  });

  test.each<OrderStatus>(['CREATED', 'AWAITING_PAYMENT'])(
    'given a %s order, when its charge succeeds, then it is COMPLETE with that payment',
    (status) => {
      expect(decideOnPaymentEvent(order({ status, attemptId: 'p1' }), charged('p1'))).toEqual({
        status: 'COMPLETE',
        paymentId: 'p1',
      });
    },
  );

  test('given a cancelled order, when a charge succeeds, then nothing happens (payments refunds it)', () => {
    expect(decideOnPaymentEvent(order({ status: 'CANCELLED' }), charged('p1'))).toBeNull();
  });

  test('given an order awaiting a payment, when the last allowed attempt is declined, then it is cancelled for payment_failed', () => {
    const awaiting = order({ status: 'AWAITING_PAYMENT', attemptId: 'p3' });
    expect(decideOnPaymentEvent(awaiting, declined('p3', true))).toEqual({
      status: 'CANCELLED',
      reason: 'payment_failed',
    });
  });

  test('given an order awaiting a payment, when that attempt is declined but others may follow, then it is back to CREATED', () => {
    const after = afterEvents(order(), attempted('p1'), declined('p1', false));
    expect(after).toMatchObject({ status: 'CREATED', attemptId: null, settledAttemptIds: ['p1'] });
  });

  test('given a second attempt after a decline, then the order awaits the second one and completes with it', () => {
    const awaiting = afterEvents(order(), attempted('p1'), declined('p1', false), attempted('p2'));
    expect(awaiting).toMatchObject({ status: 'AWAITING_PAYMENT', attemptId: 'p2' });
    expect(afterEvents(awaiting, charged('p2'))).toMatchObject({ status: 'COMPLETE' });
  });
});

describe('stale, duplicate and out-of-order events', () => {
  test.each(FINAL)('given a %s order, then no payment event moves it', (status) => {
    const final = order({ status });
    for (const event of [attempted('p9'), charged('p9'), declined('p9', false), declined('p9', true)]) {
      expect(decideOnPaymentEvent(final, event)).toBeNull();
    }
  });

  test('given an order awaiting an attempt, when the same ChargeAttempted comes again, then nothing happens', () => {
    expect(
      decideOnPaymentEvent(order({ status: 'AWAITING_PAYMENT', attemptId: 'p1' }), attempted('p1')),
    ).toBeNull();
  });

  test('given a declined attempt, when its ChargeAttempted arrives late, then the order does not await it again', () => {
    const after = afterEvents(order(), declined('p1', false), attempted('p1'));
    expect(after).toMatchObject({ status: 'CREATED', attemptId: null, settledAttemptIds: ['p1'] });
  });

  test('given an order awaiting attempt p2, when an older decline of p1 arrives, then it keeps awaiting p2', () => {
    const after = afterEvents(order(), attempted('p2'), declined('p1', false));
    expect(after).toMatchObject({ status: 'AWAITING_PAYMENT', attemptId: 'p2' });
  });

  test('given a decline already applied, when it is replayed, then nothing happens', () => {
    const once = afterEvents(order(), attempted('p1'), declined('p1', false));
    expect(decideOnPaymentEvent(once, declined('p1', false))).toBeNull();
  });
});
