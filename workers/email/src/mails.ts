import { type CurrencyCode, toDecimalString } from '@ticketing/kit/money';

/** A mail's content: a subject, and the same message as plain text and as HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * `$25.50 USD`: minor units in the currency's own notation, with its code (never ambiguous).
 * Intl formats the exact decimal string, never a float of it.
 */
export function formatMoney(minor: number, currency: CurrencyCode): string {
  const decimal = toDecimalString(minor, currency) as `${number}`;
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(decimal);
  return `${amount} ${currency}`;
}

/** `Tue, 03 Dec 2024 14:05:09 UTC`: one unambiguous form for every reader. */
export const formatTime = (iso: string) => new Date(iso).toUTCString().replace('GMT', 'UTC');

/** Rows of label and value, in both forms; values are escaped in the HTML. */
function compose(
  subject: string,
  intro: string,
  rows: Array<[string, string]>,
  outro: string,
  link?: { label: string; href: string },
): MailContent {
  const text = [
    intro,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    ...(link ? [`${link.label}: ${link.href}`, ''] : []),
    outro,
    '',
    '— Ticketing',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<p>${escapeHtml(intro)}</p>
<table cellpadding="4">${rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}
<p>${escapeHtml(outro)}</p>
<p>— Ticketing</p>
</body></html>`;
  return { subject, text, html };
}

export interface ReceiptInput {
  orderId: string;
  ticketTitle: string;
  priceCents: number;
  currency: CurrencyCode;
  paidAt: string;
  webUrl: string;
}

export const receiptMail = (r: ReceiptInput): MailContent =>
  compose(
    `Your receipt: ${r.ticketTitle}`,
    'Thank you for your purchase. Your ticket is yours.',
    [
      ['Ticket', r.ticketTitle],
      ['Price', formatMoney(r.priceCents, r.currency)],
      ['Order', r.orderId],
      ['Paid at', formatTime(r.paidAt)],
    ],
    'Keep this mail as your receipt.',
    { label: 'See your order', href: `${r.webUrl}/orders/${encodeURIComponent(r.orderId)}` },
  );

export interface PaymentFailedInput {
  orderId: string;
  ticketTitle: string;
  reason: string;
  final: boolean;
  failedAt: string;
  webUrl: string;
}

export const paymentFailedMail = (p: PaymentFailedInput): MailContent =>
  compose(
    `Payment failed: ${p.ticketTitle}`,
    p.final
      ? 'Your payment was declined again, so your order was cancelled and the ticket released.'
      : 'Your payment was declined. Your ticket is still held for you: try again with another card.',
    [
      ['Ticket', p.ticketTitle],
      ['Order', p.orderId],
      ['Reason', p.reason],
      ['When', formatTime(p.failedAt)],
    ],
    'You were not charged for this attempt.',
    p.final
      ? undefined
      : { label: 'Pay for your order', href: `${p.webUrl}/orders/${encodeURIComponent(p.orderId)}` },
  );

export interface RefundInput {
  orderId: string;
  ticketTitle: string;
  amountCents: number;
  currency: CurrencyCode;
  refundedAt: string;
}

export const refundMail = (r: RefundInput): MailContent =>
  compose(
    `Refund: ${r.ticketTitle}`,
    'Your payment was refunded.',
    [
      ['Ticket', r.ticketTitle],
      ['Refunded', formatMoney(r.amountCents, r.currency)],
      ['Order', r.orderId],
      ['When', formatTime(r.refundedAt)],
    ],
    'Depending on your bank, the money shows on your statement within 5 to 10 days.',
  );

export interface PasswordResetInput {
  link: string;
  expiresAt: string;
}

export const passwordResetMail = (p: PasswordResetInput): MailContent =>
  compose(
    'Reset your password',
    'Someone (we hope you) asked to reset the password of your Ticketing account.',
    [['The link works until', formatTime(p.expiresAt)]],
    'It works once. If you did not ask for it, ignore this mail: your password stays as it is.',
    { label: 'Choose a new password', href: p.link },
  );
