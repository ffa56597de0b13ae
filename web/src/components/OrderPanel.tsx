'use client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderFieldsFragment } from '@/gql/graphql';
import { describeError, type Problem } from '@/lib/errors';
import { formatMoney } from '@/lib/format';
import { newerOrder } from '@/lib/newest';
import { useServerNow } from '@/lib/serverClock';
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
import { OrderStatusView, orderPhase, PHASE_LABEL } from './OrderStatusView';
import { StripeCardForm } from './StripeCardForm';
import { TestCardForm } from './TestCardForm';

/**
 * An order, live: countdown to expiresAt on the server's clock, pay, cancel, and its status as it
 * changes. Every view of the order (the page, each mutation's answer, each live update, each
 * refresh) goes through newerOrder, so the last to arrive never undoes a newer one.
 */
export function OrderPanel({
  initial,
  publishableKey,
}: {
  initial: OrderFieldsFragment;
  publishableKey: string | null;
}) {
  const client = useApolloClient();
  const [order, setOrder] = useState(initial);
  const now = useServerNow();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pay, paying] = useMutation(PayOrderMutation);
  const [cancel, cancelling] = useMutation(CancelOrderMutation);
  const phase = orderPhase(order, now);
  const heading = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const submitted = useRef(false);

  const take = useCallback((next: OrderFieldsFragment) => setOrder((cur) => newerOrder(cur, next)), []);
  const refresh = useCallback(async () => {
    const { data } = await client.query({
      query: OrderQuery,
      variables: { id: initial.id },
      fetchPolicy: 'network-only',
    });
    if (data?.order) take(data.order);
  }, [client, initial.id, take]);
  const live = useLive({
    subscription: OrderChangedSubscription,
    variables: { id: initial.id },
    onData: (d) => take(d.orderChanged),
    refresh,
  });
  // The hold is up by the server's clock: ask the API what became of the order, until it says.
  const ending = phase === 'ending';
  useEffect(() => {
    if (!ending) return;
    refresh().catch(() => undefined);
    const timer = setInterval(() => refresh().catch(() => undefined), 2_000);
    return () => clearInterval(timer);
  }, [ending, refresh]);

  // After a submit, focus goes to its first error, or to the result's headline.
  useEffect(() => {
    if (!submitted.current) return;
    submitted.current = false;
    (problem ? errorRef.current : heading.current)?.focus();
  });

  async function onPay(paymentMethodId: string) {
    setProblem(null);
    try {
      const { data } = await pay({ variables: { orderId: order.id, paymentMethodId } });
      // The payment answered is this attempt's outcome: the order's view, with it in it.
      if (data) {
        const { order: paid, ...payment } = data.payOrder;
        take({ ...paid, payment });
      }
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
    submitted.current = true;
  }

  async function onCancel() {
    setProblem(null);
    try {
      const { data } = await cancel({ variables: { id: order.id } });
      if (data) take(data.cancelOrder);
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
    submitted.current = true;
  }

  const declined = order.payment?.status === 'FAILED';
  return (
    <div className="order-layout">
      <article className="card order-main">
        <div className="ticket-top">
          <span className={`badge badge-order-${phase}`} data-testid="order-phase">
            {PHASE_LABEL[phase]}
          </span>
          <LiveIndicator state={live} />
        </div>
        <OrderStatusView order={order} phase={phase} headingRef={heading} />
        {phase === 'holding' ? (
          <p className="hold">
            Hold ends in{' '}
            <Countdown
              className="hold-countdown"
              until={order.expiresAt}
              announce="Your hold on this ticket:"
            />
          </p>
        ) : null}
        <div ref={errorRef} tabIndex={-1} className="focus-target">
          <ErrorNotice problem={problem} />
          {declined && phase === 'holding' && !problem ? (
            <p className="notice notice-error" role="alert">
              The card was declined. Try another card before the hold ends.
            </p>
          ) : null}
        </div>
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
        ) : phase === 'ending' ? null : (
          <p className="onward">
            <Link href="/my/orders">See all my orders</Link> ·{' '}
            <Link href="/?available=1">Find another ticket</Link>
          </p>
        )}
      </article>
      <aside className="card order-summary" aria-label="Summary">
        <h2>Summary</h2>
        <p className="summary-title">
          <Link href={`/tickets/${order.ticket.id}`}>{order.ticket.title}</Link>
        </p>
        <p className="summary-total">
          <span>Total</span> <strong>{formatMoney(order.priceMoney)}</strong>
        </p>
        <p className="muted small mono">Order {order.id}</p>
      </aside>
    </div>
  );
}
