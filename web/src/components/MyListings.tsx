'use client';
import { useApolloClient } from '@apollo/client/react';
import Link from 'next/link';
import { useCallback, useState } from 'react';
import type { TicketFieldsFragment } from '@/gql/graphql';
import { useLive } from '@/lib/useLive';
import { MyTicketsQuery, TicketsChangedSubscription } from '@/operations/tickets';
import { ListingEditor } from './ListingEditor';
import { LiveIndicator } from './LiveIndicator';

/** My listings, kept current so an edit form locks the moment a buyer takes the ticket. */
export function MyListings({ initial }: { initial: TicketFieldsFragment[] }) {
  const client = useApolloClient();
  const [tickets, setTickets] = useState(initial);
  const replace = useCallback(
    (changed: TicketFieldsFragment) =>
      setTickets((list) =>
        list.map((t) => (t.id === changed.id && t.version <= changed.version ? changed : t)),
      ),
    [],
  );
  const refresh = useCallback(async () => {
    const { data } = await client.query({ query: MyTicketsQuery, fetchPolicy: 'network-only' });
    if (data?.me) setTickets(data.me.tickets);
  }, [client]);
  const live = useLive({
    subscription: TicketsChangedSubscription,
    onData: (d) => replace(d.ticketsChanged),
    refresh,
  });

  if (tickets.length === 0) {
    return (
      <div className="empty">
        <h2>You have not listed any tickets</h2>
        <p className="muted">Got a ticket you cannot use? List it in under a minute.</p>
        <Link className="button button-primary" href="/sell">
          Sell a ticket
        </Link>
      </div>
    );
  }
  return (
    <>
      <div className="list-meta">
        <LiveIndicator state={live} />
      </div>
      <ul className="listings">
        {tickets.map((t) => (
          <ListingEditor key={t.id} ticket={t} onSaved={replace} />
        ))}
      </ul>
    </>
  );
}
