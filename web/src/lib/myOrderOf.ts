import type { MyOrdersOfTicketQuery } from '@/gql/graphql';

export type MyOrderOfTicket = { id: string; status: string; expiresAt: string };

/** The viewer's order of a ticket that holds or bought it (the newest such), if any. */
export function myOrderOf(
  data: MyOrdersOfTicketQuery | null | undefined,
  ticketId: string,
): MyOrderOfTicket | null {
  const orders = data?.me?.orders ?? [];
  const mine = orders.find(
    (o) => o.ticket.id === ticketId && ['CREATED', 'AWAITING_PAYMENT', 'COMPLETE'].includes(o.status),
  );
  return mine ? { id: mine.id, status: mine.status, expiresAt: mine.expiresAt } : null;
}
