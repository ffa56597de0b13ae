import type { OrderFieldsFragment } from '@/gql/graphql';
import { formatPrice } from '@/lib/format';

export type OrderPhase = 'holding' | 'expired' | 'cancelled' | 'complete';

/**
 * What an order means to its buyer. A cancelled order says why (a live update may announce the
 * expiry a moment before this browser's clock reaches it); an unpaid hold past its expiry reads
 * as expired at once.
 */
export function orderPhase(
  order: Pick<OrderFieldsFragment, 'status' | 'expiresAt' | 'cancelReason'>,
  now: number,
): OrderPhase {
  if (order.status === 'COMPLETE') return 'complete';
  if (order.status === 'CANCELLED') return order.cancelReason === 'EXPIRED' ? 'expired' : 'cancelled';
  return new Date(order.expiresAt).getTime() <= now ? 'expired' : 'holding';
}

const TITLE: Record<OrderPhase, string> = {
  holding: 'Your ticket is on hold',
  expired: 'This order expired',
  cancelled: 'Order cancelled',
  complete: 'Paid — the ticket is yours',
};

/** The headline of an order, plus its payment's details when there is one. */
export function OrderStatusView({ order, phase }: { order: OrderFieldsFragment; phase: OrderPhase }) {
  const { payment } = order;
  return (
    <div className="order-status" data-order-phase={phase} data-order-status={order.status}>
      <h1>{TITLE[phase]}</h1>
      {phase === 'expired' ? (
        <p className="muted">The 15-minute hold ran out before payment; the ticket is back on sale.</p>
      ) : null}
      {payment ? (
        <dl className="details">
          <dt>Payment</dt>
          <dd>
            <span className={`badge badge-pay-${payment.status.toLowerCase()}`}>
              {payment.status.toLowerCase()}
            </span>{' '}
            {formatPrice(payment.amount)}
          </dd>
          {payment.stripeId ? (
            <>
              <dt>Stripe charge</dt>
              <dd className="mono">{payment.stripeId}</dd>
            </>
          ) : null}
          {payment.stripeRefundId ? (
            <>
              <dt>Refund</dt>
              <dd className="mono">{payment.stripeRefundId}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </div>
  );
}
