import { randomUUID } from 'node:crypto';
import { eventually, FakeStripe, type PayReply, useTestPayments } from './testing';

// Issue 16, point 3 at the payments boundary, with a Stripe double that declines and holds answers:
// a retried payOrder with the same idempotency key never reaches Stripe a second time.

const stripe = new FakeStripe();
const t = useTestPayments('payments_idempotency', { stripe });

const PAY_KEYED = `mutation ($orderId: ID!, $pm: String!, $key: String) {
  payOrder(orderId: $orderId, paymentMethodId: $pm, idempotencyKey: $key) { id status amount order { id } }
}`;
const chargesFor = (orderId: string) => stripe.charges.filter((c) => c.metadata.orderId === orderId);

test('a retried declined payment gets the same decline, and Stripe is asked once', async () => {
  const order = await t.orderCreated({ priceCents: 1500 });
  stripe.answer(FakeStripe.decline('Your card was declined.', 'card_declined'));
  const key = randomUUID();
  const first = await t.gql<PayReply>(
    PAY_KEYED,
    { orderId: order.id, pm: 'pm_card_visa', key },
    order.buyerId,
  );
  const retry = await t.gql<PayReply>(
    PAY_KEYED,
    { orderId: order.id, pm: 'pm_card_visa', key },
    order.buyerId,
  );
  expect(first.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    declined: true,
    attemptsLeft: 2,
  });
  expect(retry.errors?.[0]).toEqual(first.errors?.[0]);
  expect(chargesFor(order.id)).toHaveLength(1);

  // A new key is a new attempt.
  const paid = await t.gql<PayReply>(
    PAY_KEYED,
    { orderId: order.id, pm: 'pm_card_visa', key: randomUUID() },
    order.buyerId,
  );
  expect(paid.data?.payOrder).toMatchObject({ status: 'COMPLETED', amount: 15 });
  expect(chargesFor(order.id).map((c) => c.idempotencyKey)).toEqual([
    `payorder:${order.id}:1`,
    `payorder:${order.id}:2`,
  ]);
});

test('while the first charge is in flight, concurrent retries with its key wait for it: one charge, one answer', async () => {
  const order = await t.orderCreated();
  let release: () => void = () => undefined;
  stripe.answer(FakeStripe.after(new Promise<void>((r) => (release = r))));
  const key = randomUUID();
  const calls = Array.from({ length: 6 }, () =>
    t.gql<PayReply>(PAY_KEYED, { orderId: order.id, pm: 'pm_card_visa', key }, order.buyerId),
  );
  await eventually(() => chargesFor(order.id).length > 0);
  await new Promise((r) => setTimeout(r, 200)); // the retries are waiting now
  release();
  const replies = await Promise.all(calls);
  expect(replies.map((r) => r.errors)).toEqual(replies.map(() => undefined));
  expect(new Set(replies.map((r) => JSON.stringify(r.data?.payOrder))).size).toBe(1);
  expect(replies[0]?.data?.payOrder.status).toBe('COMPLETED');
  expect(chargesFor(order.id)).toHaveLength(1);
  expect(
    t.published.filter(
      (e) => e.type === 'ChargeAttempted' && e.aggregateId === replies[0]?.data?.payOrder.id,
    ),
  ).toHaveLength(1);
});
