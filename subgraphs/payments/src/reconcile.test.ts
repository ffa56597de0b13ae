import { testStream } from '@ticketing/events';
import { testDatabaseName } from '@ticketing/kit';
import { Types } from 'mongoose';
import { eventually, startTestPayments } from './testing';

// A crash between "Payment recorded CREATED" and "Stripe's answer written" leaves a CREATED payment.
// The next start finishes it: Stripe is asked again with the same idempotency key (here stripe-mock,
// through stripe-node), and the outcome is settled like any other.

test('a payment left CREATED by a crash is finished by the reconciliation pass at start', async () => {
  const dbName = testDatabaseName('payments_reconcile');
  const stream = testStream('payments_reconcile');
  const before = await startTestPayments('payments_reconcile', { dbName, events: { stream } });
  const order = await before.orderCreated({ priceCents: 1999 });
  const paymentId = new Types.ObjectId().toHexString();
  await before.service.models.Payments.create({
    _id: paymentId,
    orderId: order.id,
    buyerId: order.buyerId,
    attempt: 1,
    status: 'CREATED',
    amountCents: 1999,
    currency: 'usd',
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: `payorder:${order.id}:1`,
    version: 1,
    outbox: [],
  });
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
    // A further pass finds nothing left to do.
    expect(await after.service.reconciler.run()).toBe(0);
  } finally {
    await after.stop();
  }
});
