const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** Prices are dollars as floats in the API; always shown with the currency. */
export const formatPrice = (amount: number) => money.format(amount);

/** Dates in UTC so server and browser render the same text (no hydration mismatch). */
export const formatDate = (iso: string) => `${dateTime.format(new Date(iso))} UTC`;

/** mm:ss (or h:mm:ss) left until `until`, never negative. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
