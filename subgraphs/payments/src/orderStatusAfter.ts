import type { OrderStatus } from '@ticketing/events';
import type { PaymentStatus } from './models';

/**
 * An order's status as one of its payments leaves it, from payments' projection of the order
 * (which hears OrderCreated, OrderCancelled and OrderCompleted, so lags the payment it recorded):
 * a final status of the order stands; a completed payment completes it; one in flight means the
 * order awaits it; otherwise the order is as projected (CREATED after a decline that was not the last).
 */
export function orderStatusAfter(payment: PaymentStatus, projected: OrderStatus | null): OrderStatus {
  if (projected === 'COMPLETE' || projected === 'CANCELLED') return projected;
  if (payment === 'COMPLETED') return 'COMPLETE';
  if (payment === 'CREATED') return 'AWAITING_PAYMENT';
  return projected ?? 'CREATED';
}
