'use client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import type { TicketFieldsFragment } from '@/gql/graphql';
import { describeError, type Problem } from '@/lib/errors';
import { formatPrice } from '@/lib/format';
import { useLive } from '@/lib/useLive';
import { CreateOrderMutation } from '@/operations/orders';
import { TicketChangedSubscription, TicketQuery } from '@/operations/tickets';
import { Countdown } from './Countdown';
import { ErrorNotice } from './ErrorNotice';
import { LiveIndicator } from './LiveIndicator';
import { StatusBadge } from './StatusBadge';

/** One ticket, live: buy it (→ its order), or see clearly that someone else holds it. */
export function TicketPanel({ initial, meId }: { initial: TicketFieldsFragment; meId: string | null }) {
  const client = useApolloClient();
  const router = useRouter();
  const [ticket, setTicket] = useState(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [createOrder, { loading }] = useMutation(CreateOrderMutation);
  const mine = ticket.seller.id === meId;

  const apply = useCallback(
    (t: TicketFieldsFragment) => setTicket((cur) => (t.version >= cur.version ? t : cur)),
    [],
  );
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

  async function buy() {
    setProblem(null);
    try {
      const { data } = await createOrder({ variables: { ticketId: ticket.id } });
      if (data) router.push(`/orders/${data.createOrder.id}`);
    } catch (err) {
      setProblem(describeError(err));
      refresh().catch(() => undefined);
    }
  }

  return (
    <article className="card ticket-detail" data-ticket-id={ticket.id}>
      <div className="ticket-top">
        <StatusBadge status={ticket.status} reservedUntil={ticket.reservedUntil} />
        <LiveIndicator state={live} />
      </div>
      <h1 className="ticket-detail-title">{ticket.title}</h1>
      <p className="ticket-detail-price">{formatPrice(ticket.price)}</p>
      <div aria-live="polite" data-testid="ticket-message">
        {ticket.status === 'RESERVED' ? (
          <p className="notice notice-warning">
            Someone else is buying this ticket right now.{' '}
            {ticket.reservedUntil ? (
              <>
                If they do not pay, it becomes available again in <Countdown until={ticket.reservedUntil} />.
              </>
            ) : null}
          </p>
        ) : null}
        {ticket.status === 'SOLD' ? <p className="notice notice-info">This ticket has been sold.</p> : null}
      </div>
      <ErrorNotice problem={problem} />
      <div className="actions">
        {mine ? (
          <p className="muted">
            This is your listing. <Link href="/my/listings">Edit it in My listings</Link>.
          </p>
        ) : !meId ? (
          <Link className="button button-primary" href={`/signin?next=/tickets/${ticket.id}`}>
            Sign in to buy
          </Link>
        ) : (
          <button
            type="button"
            className="button button-primary button-large"
            onClick={buy}
            disabled={loading || ticket.status !== 'AVAILABLE'}
          >
            {loading ? 'Reserving…' : `Buy for ${formatPrice(ticket.price)}`}
          </button>
        )}
      </div>
      <p className="muted small">Buying holds the ticket for you for 15 minutes while you pay.</p>
    </article>
  );
}
