import type { Metadata } from 'next';
import { SellForm } from '@/components/SellForm';
import { requireMe } from '@/lib/requireMe';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function SellPage() {
  await requireMe('/sell');
  return <SellForm />;
}
