const dateTime = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** An exact amount from the API: a decimal string in its currency (Money). */
export interface Money {
  amount: string;
  currencyCode: string;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `$49.99`: the API's exact decimal string in its currency's notation. Intl formats the string
 * itself, exactly (never through a float).
 */
export function formatMoney({ amount, currencyCode }: Money): string {
  let format = moneyFormats.get(currencyCode);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currencyCode });
    moneyFormats.set(currencyCode, format);
  }
  return format.format(amount as `${number}`);
}

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
