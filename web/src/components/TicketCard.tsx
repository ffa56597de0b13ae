import Link from 'next/link';
import type { TicketFieldsFragment } from '@/gql/graphql';
import { formatMoney } from '@/lib/format';
import { StatusBadge } from './StatusBadge';

/** One listing in the grid. */
export function TicketCard({ ticket, mine }: { ticket: TicketFieldsFragment; mine: boolean }) {
  return (
    <li className="ticket-card" data-ticket-id={ticket.id}>
      <Link href={`/tickets/${ticket.id}`} className="ticket-link">
        <div className="ticket-top">
          <StatusBadge status={ticket.status} reservedUntil={ticket.reservedUntil} />
          {mine ? <span className="tag">Yours</span> : null}
        </div>
        <h2 className="ticket-title">{ticket.title}</h2>
        <p className="ticket-price">{formatMoney(ticket.priceMoney)}</p>
      </Link>
    </li>
  );
}
