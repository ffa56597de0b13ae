'use client';
import type { TicketStatus } from '@/gql/graphql';
import { Countdown } from './Countdown';

const LABEL: Record<TicketStatus, string> = {
  AVAILABLE: 'Available',
  RESERVED: 'Reserved',
  SOLD: 'Sold',
  WITHDRAWN: 'Withdrawn',
};

/** A ticket's status; a reserved one shows how long its lock still runs. */
export function StatusBadge({
  status,
  reservedUntil,
}: {
  status: TicketStatus;
  reservedUntil?: string | null;
}) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      {LABEL[status]}
      {status === 'RESERVED' && reservedUntil ? (
        <>
          {' · '}
          <Countdown until={reservedUntil} />
        </>
      ) : null}
    </span>
  );
}
