import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorNotice } from '@/components/ErrorNotice';
import { MyListings } from '@/components/MyListings';
import { requireMe } from '@/lib/requireMe';
import { serverQuery } from '@/lib/serverQuery';
import { MyTicketsQuery } from '@/operations/tickets';

export const metadata: Metadata = { title: 'My listings' };

export default async function MyListingsPage() {
  await requireMe('/my/listings');
  const { data, problem } = await serverQuery(MyTicketsQuery);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My listings</h1>
          <p className="muted">Edit a title or price while the ticket is available.</p>
        </div>
        <Link className="button button-primary" href="/sell">
          Sell a ticket
        </Link>
      </div>
      <ErrorNotice problem={problem} title="Your listings could not be loaded." retry />
      {data?.me ? <MyListings initial={data.me.tickets} /> : null}
    </>
  );
}
