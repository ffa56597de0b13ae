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

const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;

/** A duration in words, e.g. "15 minutes", "1 minute 30 seconds", "2 hours". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [
    h ? unit(h, 'hour') : '',
    m ? unit(m, 'minute') : '',
    rest || s === 0 ? unit(rest, 'second') : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** How long an order held (or holds) its ticket, from its own times. */
export const holdOf = (order: { createdAt: string; expiresAt: string }) =>
  formatDuration((new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()) / 1000);
