'use client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketFieldsFragment } from '@/gql/graphql';
import { describeError, type Problem } from '@/lib/errors';
import { formatMoney } from '@/lib/format';
import { type MyOrderOfTicket, myOrderOf } from '@/lib/myOrderOf';
import { newerTicket } from '@/lib/newest';
import { useLive } from '@/lib/useLive';
import { CreateOrderMutation, MyOrdersOfTicketQuery } from '@/operations/orders';
import { TicketChangedSubscription, TicketQuery, WithdrawTicketMutation } from '@/operations/tickets';
import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import { LiveIndicator } from './LiveIndicator';
import { StatusBadge } from './StatusBadge';

interface Props {
  initial: TicketFieldsFragment;
  meId: string | null;
  /** The viewer's order holding or having bought this ticket, when there is one. */
  myOrder: MyOrderOfTicket | null;
  /** "Buying holds the ticket for you for 15 minutes while you pay.", with the API's hold. */
  holdSentence: string;
}

/** One ticket, live, as its viewer should see it: the seller, the buyer holding it, anyone else. */
export function TicketPanel({ initial, meId, myOrder: initialOrder, holdSentence }: Props) {
  const client = useApolloClient();
  const router = useRouter();
  const [ticket, setTicket] = useState(initial);
  const [myOrder, setMyOrder] = useState(initialOrder);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [createOrder, ordering] = useMutation(CreateOrderMutation);
  const [withdraw, withdrawing] = useMutation(WithdrawTicketMutation);
  const message = useRef<HTMLDivElement>(null);
  const mine = ticket.seller.id === meId;

  const apply = useCallback((t: TicketFieldsFragment) => setTicket((cur) => newerTicket(cur, t)), []);
  const refresh = useCallback(async () => {
    const { data } = await client.query({
      query: TicketQuery,
      variables: { id: initial.id },
      fetchPolicy: 'network-only',
    });
    if (data?.ticket) apply(data.ticket);
  }, [client, initial.id, apply]);
  const live = useLive({
    subscription: TicketChangedSubscription,
    variables: { id: initial.id },
    onData: (d) => apply(d.ticketChanged),
    refresh,
  });

  // Whether the viewer is the one holding (or who bought) it changes with the ticket's status.
  const status = ticket.status;
  useEffect(() => {
    if (!meId || mine) return;
    if (status === 'AVAILABLE' || status === 'WITHDRAWN') {
      setMyOrder(null);
      return;
    }
    client
      .query({ query: MyOrdersOfTicketQuery, fetchPolicy: 'network-only' })
      .then(({ data }) => setMyOrder(myOrderOf(data, initial.id)))
      .catch(() => undefined);
  }, [client, status, meId, mine, initial.id]);

  async function buy() {
    setProblem(null);
    try {
      const { data } = await createOrder({ variables: { ticketId: ticket.id } });
      if (data) {
        apply(data.createOrder.ticket);
        router.push(`/orders/${data.createOrder.id}`);
        return;
      }
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
    message.current?.focus();
  }

  async function onWithdraw() {
    if (!window.confirm(`Withdraw "${ticket.title}"? It leaves the listings and cannot be bought.`)) return;
    setProblem(null);
    try {
      const { data } = await withdraw({ variables: { id: ticket.id } });
      if (data) apply(data.withdrawTicket);
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
    message.current?.focus();
  }

  const holding = myOrder && myOrder.status !== 'COMPLETE' && status === 'RESERVED';
  const bought = myOrder?.status === 'COMPLETE' && status === 'SOLD';
  return (
    <article className="card ticket-detail" data-ticket-id={ticket.id}>
      <div className="ticket-top">
        <StatusBadge status={ticket.status} reservedUntil={ticket.reservedUntil} />
        <LiveIndicator state={live} />
      </div>
      <h1 className="ticket-detail-title">{ticket.title}</h1>
      <p className="ticket-detail-price">{formatMoney(ticket.priceMoney)}</p>
      <div ref={message} tabIndex={-1} className="focus-target" data-testid="ticket-message">
        <ErrorNotice problem={problem} />
        {mine ? (
          <SellerView ticket={ticket} />
        ) : holding ? (
          <p className="notice notice-success" data-testid="you-hold-it">
            You are holding this ticket
            {ticket.reservedUntil ? (
              <>
                {' '}
                for another <Countdown until={ticket.reservedUntil} />
              </>
            ) : null}
            . <Link href={`/orders/${myOrder.id}`}>Continue to payment</Link>
          </p>
        ) : bought ? (
          <p className="notice notice-success">
            You bought this ticket. <Link href={`/orders/${myOrder.id}`}>See your order</Link>
          </p>
        ) : status === 'RESERVED' ? (
          <p className="notice notice-warning">
            Someone else is buying this ticket right now.{' '}
            {ticket.reservedUntil ? (
              <>
                Their hold ends in <Countdown until={ticket.reservedUntil} />; if they do not pay, it goes
                back on sale.
              </>
            ) : null}
          </p>
        ) : status === 'SOLD' ? (
          <p className="notice notice-info">
            This ticket has been sold. <Link href="/?available=1">Find another ticket</Link>
          </p>
        ) : status === 'WITHDRAWN' ? (
          <p className="notice notice-info">
            The seller withdrew this ticket; it is no longer for sale.{' '}
            <Link href="/?available=1">Find another ticket</Link>
          </p>
        ) : null}
      </div>
      {status === 'AVAILABLE' ? (
        <div className="actions">
          {mine ? (
            <>
              <Link className="button button-ghost" href="/my/listings">
                Edit in My listings
              </Link>
              <button
                type="button"
                className="button button-danger"
                onClick={onWithdraw}
                disabled={withdrawing.loading}
              >
                {withdrawing.loading ? 'Withdrawing…' : 'Withdraw listing'}
              </button>
            </>
          ) : !meId ? (
            <Link className="button button-primary" href={`/signin?next=/tickets/${ticket.id}`}>
              Sign in to buy
            </Link>
          ) : (
            <button
              type="button"
              className="button button-primary button-large"
              onClick={buy}
              disabled={ordering.loading}
            >
              {ordering.loading ? 'Reserving…' : `Buy for ${formatMoney(ticket.priceMoney)}`}
            </button>
          )}
        </div>
      ) : null}
      {status === 'AVAILABLE' && !mine ? <p className="muted small">{holdSentence}</p> : null}
    </article>
  );
}

/** What the seller sees of their own listing, by its state. */
function SellerView({ ticket }: { ticket: TicketFieldsFragment }) {
  switch (ticket.status) {
    case 'AVAILABLE':
      return (
        <p className="notice notice-info">
          This is your listing; it is for sale. You can edit or withdraw it.
        </p>
      );
    case 'RESERVED':
      return (
        <p className="notice notice-warning">
          A buyer is paying for your ticket
          {ticket.reservedUntil ? (
            <>
              ; their hold ends in <Countdown until={ticket.reservedUntil} />
            </>
          ) : null}
          . It cannot be edited or withdrawn meanwhile.
        </p>
      );
    case 'SOLD':
      return <p className="notice notice-success">You sold this ticket.</p>;
    case 'WITHDRAWN':
      return <p className="notice notice-info">You withdrew this listing; nobody can buy it.</p>;
  }
}
