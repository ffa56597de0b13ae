import {
  ActiveOrderStatus,
  type CancelReason,
  type ChargeAttempted,
  type ChargeCreated,
  type ChargeFailed,
  type EventOf,
  type OrderStatus,
} from '@ticketing/events';
import { conflict, forbidden } from '@ticketing/kit/graphql';
import type { OrderDoc, TicketCopy } from './models';

// What may happen to an order, decided from the order as read and what happened: pure functions,
// applied by OrderLifecycle.transition. Each returns a transition, null for "nothing to do", or
// (for a request) an Error to answer with.

/** The moves an order makes after creation. COMPLETE and CANCELLED are final. */
export type OrderTransition =
  | { status: 'AWAITING_PAYMENT'; attemptId: string }
  /** Back to waiting for a payment after a declined attempt; `settled` is that attempt. */
  | { status: 'CREATED'; settled: string }
  /** The attempt's outcome is known, the order stays as it is (a late or out-of-order decline). */
  | { status: 'UNCHANGED'; settled: string }
  | { status: 'CANCELLED'; reason: CancelReason }
  | { status: 'COMPLETE'; paymentId: string };

/** What the decisions read of an order. */
export type OrderFacts = Pick<
  OrderDoc,
  'status' | 'buyerId' | 'expiresAt' | 'attemptId' | 'settledAttemptIds'
>;

export type PaymentEvent =
  | EventOf<typeof ChargeAttempted>
  | EventOf<typeof ChargeCreated>
  | EventOf<typeof ChargeFailed>;

/** What a transition sets on the order (the lifecycle writes it; the version is the writer's). */
export function fieldsAfter(
  order: Pick<OrderFacts, 'settledAttemptIds'>,
  t: OrderTransition,
): Partial<Pick<OrderDoc, 'status' | 'cancelReason' | 'paymentId' | 'attemptId' | 'settledAttemptIds'>> {
  const settle = (id: string) => [...(order.settledAttemptIds ?? []), id];
  switch (t.status) {
    case 'AWAITING_PAYMENT':
      return { status: t.status, attemptId: t.attemptId };
    case 'CREATED':
      return { status: t.status, attemptId: null, settledAttemptIds: settle(t.settled) };
    case 'UNCHANGED':
      return { settledAttemptIds: settle(t.settled) };
    case 'CANCELLED':
      return { status: t.status, cancelReason: t.reason, attemptId: null };
    case 'COMPLETE':
      return { status: t.status, paymentId: t.paymentId, attemptId: null };
  }
}

export const isActive = (status: OrderStatus): boolean => ActiveOrderStatus.safeParse(status).success;

/**
 * The lock's time is up: an order not yet paid or cancelled is cancelled, reason `expired`.
 * `onlyIfDue` (the sweeper) also checks the time itself; the expiration worker's event is trusted.
 */
export function decideExpiry(order: OrderFacts, now: Date, onlyIfDue: boolean): OrderTransition | null {
  if (!isActive(order.status)) return null;
  if (onlyIfDue && order.expiresAt.getTime() > now.getTime()) return null;
  return { status: 'CANCELLED', reason: 'expired' };
}

/** Only the buyer cancels, and only an order that is neither paid nor cancelled. */
export function decideCancellation(order: OrderFacts, userId: string): OrderTransition | Error {
  if (order.buyerId !== userId) return forbidden('Only the buyer can cancel this order');
  if (!isActive(order.status)) {
    return conflict(`The order is ${order.status.toLowerCase()}; it can no longer be cancelled`);
  }
  return { status: 'CANCELLED', reason: 'cancelled' };
}

/**
 * What a payment event does to its order. A final order never moves again (payments refunds a
 * charge that lands after a cancellation). An attempt's events may arrive late, twice or out of
 * order: once its outcome is known it is remembered, so its ChargeAttempted cannot make the order
 * await it again, and a decline only brings the order back to CREATED when it is the attempt awaited.
 */
export function decideOnPaymentEvent(order: OrderFacts, event: PaymentEvent): OrderTransition | null {
  if (!isActive(order.status)) return null;
  const attemptId = event.aggregateId;
  const settled = order.settledAttemptIds ?? [];
  switch (event.type) {
    case 'ChargeAttempted':
      if (settled.includes(attemptId) || order.attemptId === attemptId) return null;
      return { status: 'AWAITING_PAYMENT', attemptId };
    case 'ChargeCreated':
      return { status: 'COMPLETE', paymentId: attemptId };
    case 'ChargeFailed':
      if (event.data.final) return { status: 'CANCELLED', reason: 'payment_failed' };
      if (order.attemptId === attemptId) return { status: 'CREATED', settled: attemptId };
      return settled.includes(attemptId) ? null : { status: 'UNCHANGED', settled: attemptId };
  }
}

/**
 * Whether orders' copy of the ticket says it is reserved or sold, so that createOrder reads its
 * lock before writing anything. Only a saving: the lock's insert decides either way.
 */
export function mayBeLocked(copy: Pick<TicketCopy, 'status'>): boolean {
  return copy.status === 'RESERVED' || copy.status === 'SOLD';
}

/**
 * Whether createOrder must read the lock again after writing its order. The sweeper frees a lock
 * without an order once the lock is `orphanGraceMs` old; a process that stalled that long between
 * taking the lock and writing the order may have lost it. Well within the grace (half of it, for
 * clocks that differ between replicas) it cannot have, and the read is spared. A lock taken
 * earlier (by a first attempt with the same idempotency key) is always read.
 */
export function mustRecheckLock(facts: {
  lockTakenEarlier: boolean;
  elapsedMs: number;
  orphanGraceMs: number;
}) {
  return facts.lockTakenEarlier || facts.elapsedMs >= facts.orphanGraceMs / 2;
}
