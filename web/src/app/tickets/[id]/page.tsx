import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ErrorNotice } from '@/components/ErrorNotice';
import { TicketPanel } from '@/components/TicketPanel';
import { serverQuery } from '@/lib/serverQuery';
import { TicketQuery } from '@/operations/tickets';
import { MeQuery } from '@/operations/users';

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { data } = await serverQuery(TicketQuery, { id: (await params).id });
  return { title: data?.ticket?.title ?? 'Ticket' };
}

export default async function TicketPage({ params }: Params) {
  const { id } = await params;
  const [ticket, me] = await Promise.all([serverQuery(TicketQuery, { id }), serverQuery(MeQuery)]);
  if (ticket.problem)
    return <ErrorNotice problem={ticket.problem} title="This ticket could not be loaded." />;
  if (!ticket.data.ticket) notFound();
  return <TicketPanel initial={ticket.data.ticket} meId={me.data?.me?.id ?? null} />;
}
