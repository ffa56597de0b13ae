import type { OrderStatus } from '@ticketing/events';
import { appError, ErrorCode } from '@ticketing/kit/graphql';
import { ACTIVE } from './models';

/**
 * A buyer's slot number `n` as its document id. A buyer may hold `max` at once, `<buyerId>:0` …
 * `<buyerId>:<max-1>`, one per active order.
 */
export const slotId = (buyerId: string, n: number) => `${buyerId}:${n}`;

/**
 * Whether a taken slot can be handed to a new order: its order is no longer active (complete or
 * cancelled: the eager release was missed), or it has no order long after it was taken (the
 * process died between the slot and the order).
 */
export function isSlotStale(
  slot: { at: Date },
  order: { status: OrderStatus } | null,
  now: Date,
  orphanGraceMs: number,
): boolean {
  if (order) return !ACTIVE.includes(order.status);
  return now.getTime() - slot.at.getTime() >= orphanGraceMs;
}

/** Seconds left before the buyer may order a ticket again after cancelling an order for it; 0: now. */
export function cooldownLeft(until: Date | null | undefined, now: Date): number {
  if (!until) return 0;
  return Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** The answer when every slot holds an active order. */
export const tooManyActiveOrders = (max: number) =>
  appError(
    ErrorCode.CONFLICT,
    `You already have ${max} active orders, the most one buyer may hold: pay or cancel one first`,
    { limit: 'MAX_ACTIVE_ORDERS_PER_BUYER', max },
  );

/** The answer to re-ordering a ticket within the cooldown after cancelling an order for it. */
export const reorderTooSoon = (seconds: number) =>
  appError(
    ErrorCode.RATE_LIMITED,
    `You cancelled an order for this ticket moments ago: you can order it again in ${seconds} second${seconds === 1 ? '' : 's'}`,
    { limit: 'REORDER_COOLDOWN_SECONDS', retryAfterSeconds: seconds },
  );
