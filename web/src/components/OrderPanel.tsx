'use client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { OrderFieldsFragment } from '@/gql/graphql';
import { describeError, type Problem } from '@/lib/errors';
import { formatPrice } from '@/lib/format';
import { useLive } from '@/lib/useLive';
import {
  CancelOrderMutation,
  OrderChangedSubscription,
  OrderQuery,
  PayOrderMutation,
} from '@/operations/orders';
import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import { LiveIndicator } from './LiveIndicator';
import { OrderStatusView, orderPhase } from './OrderStatusView';
import { StripeCardForm } from './StripeCardForm';
import { TestCardForm } from './TestCardForm';

/** An order, live: countdown to expiresAt, pay, cancel, and its status as it changes. */
export function OrderPanel({
  initial,
  publishableKey,
}: {
  initial: OrderFieldsFragment;
  publishableKey: string | null;
}) {
  const client = useApolloClient();
  const [order, setOrder] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pay, paying] = useMutation(PayOrderMutation);
  const [cancel, cancelling] = useMutation(CancelOrderMutation);
  const phase = orderPhase(order, now);

  const refresh = useCallback(async () => {
    const { data } = await client.query({
      query: OrderQuery,
      variables: { id: initial.id },
      fetchPolicy: 'network-only',
    });
    if (data?.order) setOrder(data.order);
  }, [client, initial.id]);
  const live = useLive({
    subscription: OrderChangedSubscription,
    variables: { id: initial.id },
    onData: (d) => setOrder(d.orderChanged),
    refresh,
  });
  // Re-evaluate the phase when the hold runs out, then ask the API what became of the order.
  const onZero = useCallback(() => {
    setNow(Date.now());
    refresh().catch(() => undefined);
  }, [refresh]);
  useEffect(() => setNow(Date.now()), []);

  async function onPay(paymentMethodId: string) {
    setProblem(null);
    try {
      const { data } = await pay({ variables: { orderId: order.id, paymentMethodId } });
      if (data) setOrder(data.payOrder.order);
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
  }

  async function onCancel() {
    setProblem(null);
    try {
      const { data } = await cancel({ variables: { id: order.id } });
      if (data) setOrder(data.cancelOrder);
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const declined = order.payment?.status === 'FAILED';
  return (
    <div className="order-layout">
      <article className="card order-main" aria-live="polite">
        <div className="ticket-top">
          <span className={`badge badge-order-${phase}`} data-testid="order-phase">
            {phase === 'holding' ? 'Awaiting payment' : phase}
          </span>
          <LiveIndicator state={live} />
        </div>
        <OrderStatusView order={order} phase={phase} />
        {phase === 'holding' ? (
          <p className="hold">
            Hold ends in <Countdown className="hold-countdown" until={order.expiresAt} onZero={onZero} />
          </p>
        ) : null}
        <ErrorNotice problem={problem} />
        {declined && phase === 'holding' ? (
          <p className="notice notice-error" role="alert">
            The card was declined. Try another card before the hold ends.
          </p>
        ) : null}
        {phase === 'holding' ? (
          <>
            {publishableKey ? (
              <StripeCardForm publishableKey={publishableKey} busy={paying.loading} onPay={onPay} />
            ) : (
              <TestCardForm busy={paying.loading} onPay={onPay} />
            )}
            <button
              type="button"
              className="button button-ghost button-block"
              onClick={onCancel}
              disabled={cancelling.loading}
            >
              {cancelling.loading ? 'Cancelling…' : 'Cancel order and release the ticket'}
            </button>
          </>
        ) : (
          <p>
            <Link href="/my/orders">See all my orders</Link> · <Link href="/">Browse tickets</Link>
          </p>
        )}
      </article>
      <aside className="card order-summary" aria-label="Summary">
        <h2>Summary</h2>
        <p className="summary-title">
          <Link href={`/tickets/${order.ticket.id}`}>{order.ticket.title}</Link>
        </p>
        <p className="summary-total">
          <span>Total</span> <strong>{formatPrice(order.ticket.price)}</strong>
        </p>
        <p className="muted small mono">Order {order.id}</p>
      </aside>
    </div>
  );
}
