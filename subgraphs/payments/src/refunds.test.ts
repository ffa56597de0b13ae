import { eventually, FakeStripe, PAY, type PaidPayment, type PayReply, useTestPayments } from './testing';

// Issue 6, point 4 at the payments boundary: a success that lands when the order is no longer
// payable is refunded, and no ChargeCreated goes out, so the ticket stays with whoever holds it.
// Stripe is a double that answers when the test lets it; time is a clock the test moves.

const stripe = new FakeStripe();
let offsetMs = 0;
const t = useTestPayments('payments_refunds', { stripe, now: () => new Date(Date.now() + offsetMs) });
afterEach(() => {
  offsetMs = 0;
});
const eventsOf = (orderId: string) => t.published.filter((e) => e.data.orderId === orderId);

/** Starts payOrder with Stripe held back; resolves once Stripe has the charge. */
async function payHeld(order: { id: string; buyerId: string }) {
  let release: () => void = () => undefined;
  stripe.answer(FakeStripe.after(new Promise<void>((r) => (release = r))));
  const reply = t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  await eventually(() => stripe.charges.some((c) => c.metadata.orderId === order.id));
  return { reply, release };
}

async function expectRefunded(orderId: string, payment: PaidPayment | undefined, version: number) {
  expect(payment).toMatchObject({ status: 'REFUNDED', stripeId: expect.stringMatching(/^pi_/) });
  expect(payment?.stripeRefundId).toMatch(/^re_/);
  const refunded = await eventually(() => eventsOf(orderId).find((e) => e.type === 'ChargeRefunded'));
  expect(refunded).toMatchObject({
    aggregateId: payment?.id,
    aggregateVersion: version,
    data: { orderId, stripeId: payment?.stripeId, stripeRefundId: payment?.stripeRefundId },
  });
  const refund = stripe.refunds.find((r) => r.metadata.orderId === orderId);
  expect(refund).toMatchObject({ stripeId: payment?.stripeId, idempotencyKey: `refund:${payment?.id}` });
}

test('a success that lands after expiresAt ends REFUNDED with stripeRefundId and ChargeRefunded, never ChargeCreated', async () => {
  const order = await t.orderCreated({ priceCents: 4200 });
  const { reply, release } = await payHeld(order);
  offsetMs = 20 * 60_000; // the 15-minute lock ran out while Stripe was confirming
  release();
  const payment = (await reply).data?.payOrder;
  await expectRefunded(order.id, payment, 2);
  expect(stripe.refunds.find((r) => r.metadata.orderId === order.id)?.amountCents).toBe(4200);
  const stored = await t.service.models.Payments.findById(payment?.id).lean();
  expect(stored?.outbox.map((e) => e.type)).toEqual(['ChargeAttempted', 'ChargeRefunded']);
});

test('a success for an order cancelled during the charge is refunded', async () => {
  const order = await t.orderCreated();
  const { reply, release } = await payHeld(order);
  await t.orderCancelled(order, 'expired');
  release();
  const payment = (await reply).data?.payOrder;
  await expectRefunded(order.id, payment, 2);
  expect(eventsOf(order.id).some((e) => e.type === 'ChargeCreated')).toBe(false);
});

test('an order cancelled after its payment completed (before orders saw ChargeCreated) is refunded', async () => {
  const order = await t.orderCreated();
  const paid = await t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(paid.data?.payOrder.status).toBe('COMPLETED');
  await t.orderCancelled(order, 'expired');
  const refunded = await eventually(() =>
    t.service.models.Payments.findOne({ orderId: order.id, status: 'REFUNDED' }).lean(),
  );
  expect(refunded.stripeRefundId).toMatch(/^re_/);
  const reply = await t.gql<{ payment: PaidPayment }>(
    'query ($id: ID!) { payment(id: $id) { id status amount stripeId stripeRefundId order { id } } }',
    { id: refunded._id },
    order.buyerId,
  );
  await expectRefunded(order.id, reply.data?.payment, 3);
  expect(stripe.refunds.filter((r) => r.metadata.orderId === order.id)).toHaveLength(1);
});
