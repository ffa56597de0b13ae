import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ErrorNotice } from '@/components/ErrorNotice';
import { TicketPanel } from '@/components/TicketPanel';
import { holdSentence } from '@/lib/hold';
import { myOrderOf } from '@/lib/myOrderOf';
import { serverQuery } from '@/lib/serverQuery';
import { MyOrdersOfTicketQuery } from '@/operations/orders';
import { TicketQuery } from '@/operations/tickets';
import { MeQuery } from '@/operations/users';

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { data } = await serverQuery(TicketQuery, { id: (await params).id });
  return { title: data?.ticket?.title ?? 'Ticket' };
}

export default async function TicketPage({ params }: Params) {
  const { id } = await params;
  const [ticket, me, hold] = await Promise.all([
    serverQuery(TicketQuery, { id }),
    serverQuery(MeQuery),
    holdSentence(),
  ]);
  if (ticket.problem)
    return (
      <ErrorNotice
        problem={ticket.problem}
        title="This ticket could not be loaded."
        retry
        links={[{ href: '/', label: 'Browse tickets' }]}
      />
    );
  if (!ticket.data.ticket) notFound();
  const meId = me.data?.me?.id ?? null;
  const mine = ticket.data.ticket.seller.id === meId;
  const myOrders = meId && !mine ? await serverQuery(MyOrdersOfTicketQuery) : null;
  return (
    <TicketPanel
      initial={ticket.data.ticket}
      meId={meId}
      myOrder={myOrderOf(myOrders?.data, id)}
      holdSentence={hold}
    />
  );
}
