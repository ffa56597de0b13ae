import type { ChargeFailed, EventOf } from '@ticketing/events';
import { eventually, FakeStripe, PAY, type PayReply, useTestPayments } from './testing';

// Issue 6, point 3 at the payments boundary: declines come from a Stripe double (stripe-mock never
// declines). Orders cancels the order (and tickets releases the ticket) on the final ChargeFailed.

const stripe = new FakeStripe();
const t = useTestPayments('payments_declines', { stripe });

const failuresOf = (orderId: string) =>
  t.published.filter(
    (e): e is EventOf<typeof ChargeFailed> => e.type === 'ChargeFailed' && e.data.orderId === orderId,
  );

test("a decline tells the buyer Stripe's reason and leaves the order payable with another card", async () => {
  const order = await t.orderCreated({ priceCents: 1000 });
  stripe.answer(FakeStripe.decline('Your card has insufficient funds.', 'insufficient_funds'));
  const declined = await t.gql<PayReply>(
    PAY,
    { orderId: order.id, pm: 'pm_card_chargeDeclined' },
    order.buyerId,
  );
  expect(declined.errors?.[0]?.message).toContain('Your card has insufficient funds.');
  expect(declined.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    fields: [{ field: 'paymentMethodId', message: 'Your card has insufficient funds.' }],
    declined: true,
    attemptsLeft: 2,
  });
  const failed = await t.service.models.Payments.findOne({ orderId: order.id, attempt: 1 }).lean();
  expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'Your card has insufficient funds.' });
  const [event] = await eventually(() => failuresOf(order.id).length === 1 && failuresOf(order.id));
  expect(event?.data).toEqual({
    orderId: order.id,
    reason: 'Your card has insufficient funds.',
    attempts: 1,
    final: false,
  });

  const retried = await t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(retried.data?.payOrder).toMatchObject({ status: 'COMPLETED', amount: 10 });
  // A new attempt is a new idempotency key: the declined one must not be replayed.
  expect(stripe.charges.filter((c) => c.metadata.orderId === order.id).map((c) => c.idempotencyKey)).toEqual([
    `payorder:${order.id}:1`,
    `payorder:${order.id}:2`,
  ]);
});

test('three declines publish a final ChargeFailed, and the order takes no fourth attempt', async () => {
  const order = await t.orderCreated();
  stripe.answer(
    FakeStripe.decline(),
    FakeStripe.decline(),
    FakeStripe.decline('Your card has expired.', 'expired_card'),
  );
  for (const attemptsLeft of [2, 1, 0]) {
    const reply = await t.gql(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
    expect(reply.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', attemptsLeft });
  }
  const events = await eventually(() => failuresOf(order.id).length === 3 && failuresOf(order.id));
  expect(events.map((e) => [e.data.attempts, e.data.final])).toEqual([
    [1, false],
    [2, false],
    [3, true],
  ]);
  expect(events[2]?.data.reason).toBe('Your card has expired.');

  const fourth = await t.gql(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(fourth.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(stripe.charges.filter((c) => c.metadata.orderId === order.id)).toHaveLength(3);
});

test('of concurrent payOrder calls for one order, one reaches Stripe; the others are CONFLICT', async () => {
  const order = await t.orderCreated();
  let release: () => void = () => undefined;
  stripe.answer(FakeStripe.after(new Promise<void>((r) => (release = r))));
  const calls = Array.from({ length: 8 }, () =>
    t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId),
  );
  await eventually(() => stripe.charges.some((c) => c.metadata.orderId === order.id));
  release();
  const replies = await Promise.all(calls);
  expect(replies.filter((r) => r.data?.payOrder?.status === 'COMPLETED')).toHaveLength(1);
  expect(replies.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(7);
  expect(stripe.charges.filter((c) => c.metadata.orderId === order.id)).toHaveLength(1);
});
