'use client';
import { useApolloClient } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import type { TicketFieldsFragment, TicketsQueryVariables } from '@/gql/graphql';
import { useLive } from '@/lib/useLive';
import { TicketsChangedSubscription, TicketsQuery } from '@/operations/tickets';
import { LiveIndicator } from './LiveIndicator';
import { TicketCard } from './TicketCard';

interface Props {
  initial: TicketFieldsFragment[];
  variables: TicketsQueryVariables;
  meId: string | null;
  firstPage: boolean;
}

/** The listings grid, kept current by ticketsChanged (or polling when that is unavailable). */
export function TicketList({ initial, variables, meId, firstPage }: Props) {
  const client = useApolloClient();
  const [tickets, setTickets] = useState(initial);

  const onData = useCallback(
    ({ ticketsChanged: changed }: { ticketsChanged: TicketFieldsFragment }) =>
      setTickets((list) => {
        const at = list.findIndex((t) => t.id === changed.id);
        // A withdrawn listing leaves the list (and a late event of it does not bring it back).
        if (changed.status === 'WITHDRAWN') return at === -1 ? list : list.filter((t) => t.id !== changed.id);
        if (at === -1)
          return firstPage && !variables.status && changed.version === 1 ? [changed, ...list] : list;
        // Events may arrive out of order; never replace a newer version with an older one.
        if ((list[at]?.version ?? -1) > changed.version) return list;
        return list.map((t) => (t.id === changed.id ? changed : t));
      }),
    [firstPage, variables.status],
  );

  const refresh = useCallback(async () => {
    const { data } = await client.query({ query: TicketsQuery, variables, fetchPolicy: 'network-only' });
    if (data) setTickets(data.tickets.edges.map((e) => e.node));
  }, [client, variables]);

  const live = useLive({ subscription: TicketsChangedSubscription, onData, refresh });

  return (
    <section aria-label="Tickets">
      <div className="list-meta">
        <LiveIndicator state={live} />
      </div>
      {tickets.length === 0 ? (
        <div className="empty">
          <h2>No tickets here yet</h2>
          <p className="muted">New listings appear here the moment they are posted.</p>
        </div>
      ) : (
        <ul className="ticket-grid">
          {tickets.map((t) => (
            <TicketCard key={t.id} ticket={t} mine={t.seller.id === meId} />
          ))}
        </ul>
      )}
    </section>
  );
}
