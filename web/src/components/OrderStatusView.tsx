import type { OrderFieldsFragment } from '@/gql/graphql';
import { formatMoney, holdOf } from '@/lib/format';

/** `ending`: the hold's time is up by the server's clock, but the server has not said so yet. */
export type OrderPhase = 'holding' | 'ending' | 'expired' | 'cancelled' | 'complete';

/**
 * What an order means to its buyer. Only the server says it expired (and so that the ticket is
 * back on sale): a hold whose time is up by the clock, still active on the server, is `ending`.
 * A completed payment means the order is paid, whichever of the two answers came first.
 */
export function orderPhase(
  order: Pick<OrderFieldsFragment, 'status' | 'expiresAt' | 'cancelReason'> & {
    payment?: { status: string } | null;
  },
  now: number,
): OrderPhase {
  if (order.status === 'CANCELLED') return order.cancelReason === 'EXPIRED' ? 'expired' : 'cancelled';
  if (order.status === 'COMPLETE' || order.payment?.status === 'COMPLETED') return 'complete';
  return new Date(order.expiresAt).getTime() <= now ? 'ending' : 'holding';
}

export const PHASE_LABEL: Record<OrderPhase, string> = {
  holding: 'Awaiting payment',
  ending: 'Hold ending',
  expired: 'Expired',
  cancelled: 'Cancelled',
  complete: 'Paid',
};

const TITLE: Record<OrderPhase, string> = {
  holding: 'Your ticket is on hold',
  ending: 'Your hold has run out',
  expired: 'This order expired',
  cancelled: 'Order cancelled',
  complete: 'Paid — the ticket is yours',
};

const CANCEL_TEXT: Record<string, string> = {
  CANCELLED: 'You cancelled this order; the ticket was released.',
  PAYMENT_FAILED:
    'The payment was declined too many times, so the order was cancelled and the ticket released.',
};

/** The headline of an order, plus its payment's details when there is one. */
export function OrderStatusView({
  order,
  phase,
  headingRef,
}: {
  order: OrderFieldsFragment;
  phase: OrderPhase;
  headingRef?: React.Ref<HTMLHeadingElement>;
}) {
  const { payment } = order;
  return (
    <div className="order-status" data-order-phase={phase} data-order-status={order.status}>
      <h1 ref={headingRef} tabIndex={-1}>
        {TITLE[phase]}
      </h1>
      {phase === 'expired' ? (
        <p className="muted">
          Your hold of {holdOf(order)} ran out before payment; the ticket is back on sale.
        </p>
      ) : null}
      {phase === 'ending' ? (
        <p className="muted" data-testid="hold-ending">
          The time to pay is up. We are confirming with the marketplace what became of your order…
        </p>
      ) : null}
      {phase === 'cancelled' && order.cancelReason ? (
        <p className="muted">{CANCEL_TEXT[order.cancelReason] ?? 'The order was cancelled.'}</p>
      ) : null}
      {payment ? (
        <dl className="details">
          <dt>Payment</dt>
          <dd>
            <span className={`badge badge-pay-${payment.status.toLowerCase()}`}>
              {payment.status.toLowerCase()}
            </span>{' '}
            {formatMoney(payment.amountMoney)}
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
