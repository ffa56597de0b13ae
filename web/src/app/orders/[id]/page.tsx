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
  if (problem) return <ErrorNotice problem={problem} title="This order could not be loaded." />;
  if (!data.order) notFound();
  // Read at request time: one build serves test mode and live Stripe alike.
  const publishableKey =
    process.env.STRIPE_PUBLISHABLE_KEY ?? process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? null;
  return <OrderPanel initial={data.order} publishableKey={publishableKey || null} />;
}
