import { formatMoney, receiptMail } from './mails';

// How an amount reads in mail: in the currency's notation with its code, from the exact minor
// units (formatted from their decimal string, so no digit is lost to a float).

test.each([
  [2550, '$25.50 USD'],
  [5, '$0.05 USD'],
  [100_000_000, '$1,000,000.00 USD'],
  // Where cents / 100 as a float prints a cent off ($80,000,000,000,000.06): the decimal string is exact.
  [8_000_000_000_000_007, '$80,000,000,000,000.07 USD'],
  [Number.MAX_SAFE_INTEGER, '$90,071,992,547,409.91 USD'],
])('%p cents read "%s"', (minor, text) => {
  expect(formatMoney(minor, 'USD')).toBe(text);
});

test('a receipt shows the price with its currency', () => {
  const mail = receiptMail({
    orderId: 'o1',
    ticketTitle: 'Jazz',
    priceCents: 4999,
    currency: 'USD',
    paidAt: '2030-06-01T19:30:00Z',
    webUrl: 'https://tickets.example',
  });
  expect(mail.text).toContain('Price: $49.99 USD');
  expect(mail.html).toContain('<td>$49.99 USD</td>');
});
