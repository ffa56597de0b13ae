import Stripe from 'stripe';
import { DEV_STRIPE_WEBHOOK_SECRET } from './settings';
import { eventually, FakeStripe, PAY, type PayReply, useTestPayments } from './testing';

// Issue 6, point 5: Stripe's own event payloads, signed with stripe-node's test helper, posted to
// the webhook. The payment waits for 3-D Secure (the double answers "pending"), so only the webhook
// can complete it.

const stripe = new FakeStripe();
const t = useTestPayments('payments_webhook', { stripe });

function stripeEvent(type: string, object: Record<string, unknown>): string {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
}

const deliver = (payload: string, secret = DEV_STRIPE_WEBHOOK_SECRET) =>
  fetch(t.service.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
    body: payload,
  });

/** A payment left waiting for the customer (3-D Secure): CREATED, the order still locked. */
async function pendingPayment() {
  const order = await t.orderCreated({ priceCents: 1234 });
  stripe.answer(FakeStripe.pending());
  const reply = await t.gql<PayReply>(
    PAY,
    { orderId: order.id, pm: 'pm_card_threeDSecure2Required' },
    order.buyerId,
  );
  expect(reply.data?.payOrder.status).toBe('CREATED');
  const payment = await t.service.models.Payments.findOne({ orderId: order.id }).lean();
  if (!payment) throw new Error('no payment');
  const intent = {
    id: `pi_fake_${payment.idempotencyKey}`,
    object: 'payment_intent',
    amount: 1234,
    currency: 'usd',
    status: 'succeeded',
    metadata: { orderId: order.id, paymentId: payment._id },
  };
  return { order, payment, intent };
}

test('a webhook with a bad or missing signature is refused and changes nothing', async () => {
  const { order, payment, intent } = await pendingPayment();
  const payload = stripeEvent('payment_intent.succeeded', intent);
  expect((await deliver(payload, 'whsec_not_ours')).status).toBe(400);
  const unsigned = await fetch(t.service.webhookUrl, { method: 'POST', body: payload });
  expect(unsigned.status).toBe(400);
  const tampered = await fetch(t.service.webhookUrl, {
    method: 'POST',
    headers: {
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: DEV_STRIPE_WEBHOOK_SECRET,
      }),
    },
    body: payload.replace('1234', '1'),
  });
  expect(tampered.status).toBe(400);
  expect(await t.service.models.Payments.findById(payment._id).lean()).toMatchObject({
    status: 'CREATED',
    version: 1,
  });

  // The order is still in payment: another payOrder meanwhile is CONFLICT, not a second charge.
  const again = await t.gql(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
});

test('payment_intent.succeeded delivered twice completes the payment once; charge.refunded twice refunds it once', async () => {
  const { order, payment, intent } = await pendingPayment();
  const succeeded = stripeEvent('payment_intent.succeeded', intent);
  // Stripe retries when an answer is late: the two deliveries may overlap.
  const both = await Promise.all([deliver(succeeded), deliver(succeeded)]);
  expect(both.map((r) => r.status)).toEqual([200, 200]);
  expect(await both[0]?.json()).toEqual({ received: true, handled: true });

  const completed = await t.service.models.Payments.findById(payment._id).lean();
  expect(completed).toMatchObject({ status: 'COMPLETED', stripeId: intent.id, version: 2 });
  expect(completed?.outbox.map((e) => e.type)).toEqual(['ChargeAttempted', 'ChargeCreated']);
  await eventually(() => t.published.find((e) => e.type === 'ChargeCreated' && e.data.orderId === order.id));

  // A refund made in Stripe's dashboard.
  const charge = {
    id: 'ch_dashboard_1',
    object: 'charge',
    amount: 1234,
    amount_refunded: 1234,
    refunded: true,
    payment_intent: intent.id,
    metadata: {},
    refunds: {
      object: 'list',
      data: [{ id: 're_dashboard_1', object: 'refund', amount: 1234 }],
      has_more: false,
    },
  };
  const refunded = stripeEvent('charge.refunded', charge);
  expect((await deliver(refunded)).status).toBe(200);
  expect((await deliver(refunded)).status).toBe(200);
  const after = await t.service.models.Payments.findById(payment._id).lean();
  expect(after).toMatchObject({ status: 'REFUNDED', stripeRefundId: 're_dashboard_1', version: 3 });
  expect(after?.outbox.map((e) => e.type)).toEqual(['ChargeAttempted', 'ChargeCreated', 'ChargeRefunded']);
  expect(stripe.refunds.filter((r) => r.metadata.orderId === order.id)).toHaveLength(0);
});

test('payment_intent.payment_failed fails the waiting payment with its reason, once', async () => {
  const { order, payment, intent } = await pendingPayment();
  const failed = stripeEvent('payment_intent.payment_failed', {
    ...intent,
    status: 'requires_payment_method',
    last_payment_error: {
      type: 'card_error',
      code: 'card_declined',
      message: '3-D Secure authentication failed.',
    },
  });
  expect((await deliver(failed)).status).toBe(200);
  expect((await deliver(failed)).status).toBe(200);
  const after = await t.service.models.Payments.findById(payment._id).lean();
  expect(after).toMatchObject({
    status: 'FAILED',
    failureReason: '3-D Secure authentication failed.',
    version: 2,
  });
  const event = await eventually(() =>
    t.published.find((e) => e.type === 'ChargeFailed' && e.data.orderId === order.id),
  );
  expect(event.data).toMatchObject({ attempts: 1, final: false });
});
