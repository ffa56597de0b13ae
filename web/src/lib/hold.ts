import { cache } from 'react';
import { HoldQuery } from '@/operations/orders';
import { formatDuration } from './format';
import { serverQuery } from './serverQuery';

/** The hold every new order gets, in words (from the API, once per request); null when unknown. */
export const holdText = cache(async (): Promise<string | null> => {
  const { data } = await serverQuery(HoldQuery);
  return data ? formatDuration(data.orderHoldSeconds) : null;
});

/** "Buying holds the ticket for you for 15 minutes while you pay." with the API's hold. */
export async function holdSentence(): Promise<string> {
  const hold = await holdText();
  return `Buying holds the ticket for you${hold ? ` for ${hold}` : ''} while you pay.`;
}
