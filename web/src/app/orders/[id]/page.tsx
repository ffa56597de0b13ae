import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ErrorNotice } from '@/components/ErrorNotice';
import { OrderPanel } from '@/components/OrderPanel';
import { requireMe } from '@/lib/requireMe';
import { serverQuery } from '@/lib/serverQuery';
import { OrderQuery } from '@/operations/orders';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireMe(`/orders/${id}`);
  const { data, problem } = await serverQuery(OrderQuery, { id });
  if (problem) {
    const notYours = problem.code === 'FORBIDDEN' || problem.code === 'NOT_FOUND';
    return (
      <div className="empty">
        <h1>{notYours ? 'This order is not yours' : 'This order could not be loaded'}</h1>
        <ErrorNotice
          problem={
            notYours ? { ...problem, message: 'Only the buyer who made an order can see it.' } : problem
          }
          retry={!notYours}
          links={[
            { href: '/my/orders', label: 'My orders' },
            { href: '/?available=1', label: 'Find a ticket' },
          ]}
        />
      </div>
    );
  }
  if (!data.order) notFound();
  // Read at request time: one build serves test mode and live Stripe alike.
  const publishableKey =
    process.env.STRIPE_PUBLISHABLE_KEY ?? process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? null;
  return <OrderPanel initial={data.order} publishableKey={publishableKey || null} />;
}
