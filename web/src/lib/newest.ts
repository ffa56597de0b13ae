import type { OrderFieldsFragment, TicketFieldsFragment } from '@/gql/graphql';

const FINAL_ORDER = new Set(['COMPLETE', 'CANCELLED']);
const FINAL_PAYMENT = new Set(['COMPLETED', 'REFUNDED']);

/**
 * Of two views of one order (a mutation's answer, a live update, a refresh), the newer: whichever
 * arrives last, the screen keeps the newest state seen. A final status (COMPLETE, CANCELLED) is
 * never undone by a view without one; otherwise the higher version wins, ties to the later view.
 * A settled payment is kept too: payments and orders version separately.
 */
export function newerOrder(current: OrderFieldsFragment, next: OrderFieldsFragment): OrderFieldsFragment {
  const currentFinal = FINAL_ORDER.has(current.status);
  const nextFinal = FINAL_ORDER.has(next.status);
  let winner: OrderFieldsFragment;
  if (currentFinal !== nextFinal) winner = currentFinal ? current : next;
  else winner = next.version >= current.version ? next : current;
  const loser = winner === current ? next : current;
  const keepPayment =
    loser.payment &&
    FINAL_PAYMENT.has(loser.payment.status) &&
    !FINAL_PAYMENT.has(winner.payment?.status ?? '');
  const ticket = newerTicket(current.ticket, next.ticket);
  return {
    ...winner,
    ticket,
    ...(keepPayment ? { payment: loser.payment } : {}),
  };
}

/** Of two views of one ticket, the one of the higher version (ties to the later view). */
export const newerTicket = (
  current: TicketFieldsFragment,
  next: TicketFieldsFragment,
): TicketFieldsFragment => (next.version >= current.version ? next : current);
