import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_STRIPE_MOCK, DEV_STRIPE_SECRET_KEY } from '../settings';
import { StripeNodeGateway } from './StripeNodeGateway';

// What Stripe is sent for an amount: its minor units as an integer and the currency in lower case,
// read on the wire between stripe-node and the local stripe-mock (shared infrastructure, real).

const STRIPE_MOCK = new URL(process.env.STRIPE_API_BASE ?? DEFAULT_STRIPE_MOCK);
const sent: Array<{ path: string; form: URLSearchParams }> = [];

/** Passes every request on to stripe-mock, keeping its path and form body. */
const proxy = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    sent.push({ path: req.url ?? '', form: new URLSearchParams(body.toString('utf8')) });
    const upstream = http.request(
      {
        host: STRIPE_MOCK.hostname,
        port: STRIPE_MOCK.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: STRIPE_MOCK.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  });
});

let gateway: StripeNodeGateway;
beforeAll(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  gateway = new StripeNodeGateway({ secretKey: DEV_STRIPE_SECRET_KEY, apiBase: `http://127.0.0.1:${port}` });
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

test('a charge of 25.99 USD asks Stripe for amount=2599 currency=usd', async () => {
  const outcome = await gateway.charge({
    amountCents: 2599,
    currency: 'USD',
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: randomUUID(),
    metadata: { orderId: 'o1', paymentId: 'p1' },
  });
  expect(outcome.status).toBe('succeeded');
  const create = sent.find((r) => r.path === '/v1/payment_intents');
  expect(create?.form.get('amount')).toBe('2599');
  expect(create?.form.get('currency')).toBe('usd');
});

test('a refund asks for the same minor units', async () => {
  await gateway.refund({
    stripeId: 'pi_123',
    amountCents: 100_000_000,
    idempotencyKey: randomUUID(),
    metadata: { orderId: 'o1', paymentId: 'p1' },
  });
  const refund = sent.find((r) => r.path === '/v1/refunds');
  expect(refund?.form.get('amount')).toBe('100000000');
  expect(refund?.form.get('payment_intent')).toBe('pi_123');
});
