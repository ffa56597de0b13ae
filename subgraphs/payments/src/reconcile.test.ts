import { testStream } from '@ticketing/events/testing';
import { testDatabaseName } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { eventually, FakeStripe, startTestPayments } from './testing';

// A crash between "Payment recorded CREATED" and "Stripe's answer written" leaves a CREATED payment.
// The next start finishes it: Stripe is asked again with the same idempotency key (here stripe-mock,
// through stripe-node), and the outcome is settled like any other.

const stuckPayment = (order: { id: string; buyerId: string }, amountCents: number) => ({
  _id: new Types.ObjectId().toHexString(),
  orderId: order.id,
  buyerId: order.buyerId,
  attempt: 1,
  status: 'CREATED' as const,
  amountCents,
  currency: 'usd',
  paymentMethodId: 'pm_card_visa',
  idempotencyKey: `payorder:${order.id}:1`,
  version: 1,
  outbox: [],
});

test('a payment left CREATED by a crash is finished by the reconciliation pass at start', async () => {
  const dbName = testDatabaseName('payments_reconcile');
  const stream = testStream('payments_reconcile');
  const before = await startTestPayments('payments_reconcile', { dbName, events: { stream } });
  const order = await before.orderCreated({ priceCents: 1999 });
  const payment = stuckPayment(order, 1999);
  const paymentId = payment._id;
  await before.service.models.Payments.create(payment);
  await before.service.stop(); // the "crash": the charge's outcome was never written

  const after = await startTestPayments('payments_reconcile', {
    dbName,
    events: { stream },
    env: { RECONCILE_AFTER_SECONDS: '0' },
  });
  try {
    const done = await eventually(() =>
      after.service.models.Payments.findOne({ _id: paymentId, status: 'COMPLETED' }).lean(),
    );
    expect(done.stripeId).toMatch(/^pi_/);
    const created = await eventually(() => after.published.find((e) => e.type === 'ChargeCreated'));
    expect(created).toMatchObject({ aggregateId: paymentId, data: { orderId: order.id, amountCents: 1999 } });
    // A further pass finds nothing left to do (run() joins a pass in progress, so let the one at
    // start finish first).
    await after.service.reconciler.run();
    expect(await after.service.reconciler.run()).toBe(0);
  } finally {
    await after.stop();
  }
});

test('a payment still waiting for 3-D Secure when its order closed is failed by reconciliation', async () => {
  const stripe = new FakeStripe().answer(FakeStripe.pending());
  const t = await startTestPayments('payments_abandoned', { stripe, env: { RECONCILE_AFTER_SECONDS: '0' } });
  try {
    const order = await t.orderCreated();
    await t.orderCancelled(order, 'expired');
    const payment = stuckPayment(order, 500);
    await t.service.models.Payments.create(payment);
    // run() joins a pass in progress, which may have started before the insert: ask until done.
    const failed = await eventually(async () => {
      await t.service.reconciler.run();
      return t.service.models.Payments.findOne({ _id: payment._id, status: { $ne: 'CREATED' } }).lean();
    });
    expect(failed).toMatchObject({
      status: 'FAILED',
      failureReason: 'Not completed before the order closed',
    });
    expect(stripe.charges.map((c) => c.idempotencyKey)).toEqual([payment.idempotencyKey]);
  } finally {
    await t.stop();
  }
});
