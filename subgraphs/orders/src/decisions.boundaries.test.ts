import { ChargeFailed } from '@ticketing/events';
import { GraphQLError } from 'graphql';
import {
  decideCancellation,
  decideExpiry,
  decideOnPaymentEvent,
  fieldsAfter,
  type OrderFacts,
} from './decisions';

// Edges of the orders decisions: the exact second of expiry, orders read before they remembered
// any attempt, the words a refused buyer reads, and what each transition writes.

const NOW = new Date('2026-01-01T12:00:00Z');
const order = (facts: Partial<OrderFacts> = {}): OrderFacts => ({
  status: 'CREATED',
  buyerId: 'buyer',
  expiresAt: new Date(NOW.getTime() + 15 * 60_000),
  attemptId: null,
  settledAttemptIds: [],
  ...facts,
});

test('given an order expiring this very millisecond, the sweeper finds it due', () => {
  expect(decideExpiry(order({ expiresAt: NOW }), NOW, true)).toEqual({
    status: 'CANCELLED',
    reason: 'expired',
  });
});

test('given someone else cancelling, they are told only the buyer can', () => {
  const refused = decideCancellation(order(), 'intruder');
  expect(refused).toBeInstanceOf(GraphQLError);
  expect((refused as GraphQLError).message).toBe('Only the buyer can cancel this order');
});

test('given an order stored before attempts were remembered, a decline of another attempt is remembered', () => {
  const declined = ChargeFailed.create({
    aggregateId: 'p1',
    aggregateVersion: 2,
    data: { orderId: 'order', reason: 'card_declined', attempts: 1, final: false },
  });
  const old = order({ settledAttemptIds: undefined });
  expect(decideOnPaymentEvent(old, declined)).toEqual({ status: 'UNCHANGED', settled: 'p1' });
  expect(fieldsAfter(old, { status: 'UNCHANGED', settled: 'p1' })).toEqual({ settledAttemptIds: ['p1'] });
});

test('what each transition writes', () => {
  const facts = { settledAttemptIds: ['p0'] };
  expect(fieldsAfter(facts, { status: 'AWAITING_PAYMENT', attemptId: 'p1' })).toEqual({
    status: 'AWAITING_PAYMENT',
    attemptId: 'p1',
  });
  expect(fieldsAfter(facts, { status: 'CREATED', settled: 'p1' })).toEqual({
    status: 'CREATED',
    attemptId: null,
    settledAttemptIds: ['p0', 'p1'],
  });
  expect(fieldsAfter(facts, { status: 'CANCELLED', reason: 'expired' })).toEqual({
    status: 'CANCELLED',
    cancelReason: 'expired',
    attemptId: null,
  });
  expect(fieldsAfter(facts, { status: 'COMPLETE', paymentId: 'p1' })).toEqual({
    status: 'COMPLETE',
    paymentId: 'p1',
    attemptId: null,
  });
});
