import type { DomainEvent } from '@ticketing/events';
import { useTestDatabase } from '@ticketing/kit/testing';
import { type PaymentDoc, registerModels } from './models';
import { PaymentLedger } from './PaymentLedger';
import type { ChargeOutcome } from './stripe/StripeGateway';
import { FakeStripe, newId } from './testing';

// Where a payment's fate is written, on the real FerretDB with Stripe's double: what the buyer's
// payment becomes, what Stripe is asked to give back, and what is announced (read from the
// payment's outbox, as the relay publishes it). No service, no NATS: a run takes seconds.

const database = useTestDatabase('payment_ledger', registerModels);
let stripe: FakeStripe;
let ledger: PaymentLedger;
let now = new Date();
let kicks = 0;
const MINUTE = 60_000;

beforeEach(() => {
  now = new Date();
  stripe = new FakeStripe();
  ledger = new PaymentLedger({
    models: database.models,
    stripe,
    maxAttempts: 3,
    now: () => now,
    kickOutbox: () => kicks++,
  });
});

/** An order payments learnt of, still waiting for its payment unless told otherwise. */
async function givenOrder(fields: { status?: 'CREATED' | 'CANCELLED'; expiresInMs?: number } = {}) {
  const _id = newId();
  await database.models.Orders.create({
    _id,
    version: 1,
    ticketId: newId(),
    buyerId: 'buyer-1',
    priceCents: 4200,
    status: fields.status ?? 'CREATED',
    expiresAt: new Date(now.getTime() + (fields.expiresInMs ?? 15 * MINUTE)),
  });
  return _id;
}

/** A payment attempt as payOrder writes it before asking Stripe. */
async function givenPayment(orderId: string, attempt = 1): Promise<PaymentDoc> {
  const _id = newId();
  await database.models.Payments.create({
    _id,
    orderId,
    buyerId: 'buyer-1',
    attempt,
    status: 'CREATED',
    amountCents: 4200,
    currency: 'usd',
    paymentMethodId: 'pm_card_visa',
    idempotencyKey: `pay:${_id}`,
    version: 1,
    outbox: [],
  });
  return (await database.models.Payments.findById(_id).lean()) as PaymentDoc;
}

const succeeded = (stripeId = 'pi_1'): ChargeOutcome => ({ status: 'succeeded', stripeId });
const declined = (stripeId: string | null = 'pi_1'): ChargeOutcome => ({
  status: 'declined',
  stripeId,
  reason: 'card_declined',
  code: 'card_declined',
});
const stored = (id: string) => database.models.Payments.findById(id).lean<PaymentDoc>();
/** What the payment announced: [type, version, id, data]. */
async function announced(id: string) {
  return ((await stored(id))?.outbox ?? []).map((e) => {
    const event = JSON.parse(e.event) as DomainEvent<string, Record<string, unknown>>;
    return [event.type, event.aggregateVersion, event.id, event.data];
  });
}
const claim = (id: string) => database.models.Claims.findById(id).lean();

describe('a charge that succeeded', () => {
  test('pays a payable order: COMPLETED, ChargeCreated announced, the claims finished', async () => {
    const orderId = await givenOrder();
    const payment = await givenPayment(orderId);
    const kicksBefore = kicks;
    const settled = await ledger.settle(payment, succeeded('pi_ok'));
    expect(settled).toMatchObject({ _id: payment._id, status: 'COMPLETED', stripeId: 'pi_ok', version: 2 });
    expect(await stored(payment._id)).toMatchObject({ status: 'COMPLETED', stripeId: 'pi_ok', version: 2 });
    expect(await announced(payment._id)).toEqual([
      // The payment was recorded as "usd" (as before currencies were carried): announced as USD.
      [
        'ChargeCreated',
        2,
        `ChargeCreated:${payment._id}`,
        { orderId, amountCents: 4200, currency: 'USD', stripeId: 'pi_ok' },
      ],
    ]);
    expect(kicks).toBe(kicksBefore + 1);
    expect(await claim(`outcome:${payment._id}`)).toMatchObject({ value: 'succeeded', done: true });
    expect(await claim(`paid:${orderId}`)).toMatchObject({ value: payment._id, done: true });
    expect(stripe.refunds).toEqual([]);
  });

  test('learnt twice (payOrder and the webhook) is written and announced once', async () => {
    const payment = await givenPayment(await givenOrder());
    await ledger.settle(payment, succeeded());
    const again = await ledger.settle(payment, succeeded());
    expect(again).toMatchObject({ status: 'COMPLETED', version: 2 });
    expect(await announced(payment._id)).toHaveLength(1);
    expect(stripe.refunds).toEqual([]);
  });

  test('for an order whose lock ran out is refunded, never announced as a charge', async () => {
    const orderId = await givenOrder({ expiresInMs: 1 });
    const payment = await givenPayment(orderId);
    now = new Date(now.getTime() + 1);
    const settled = await ledger.settle(payment, succeeded('pi_late'));
    expect(settled).toMatchObject({
      status: 'REFUNDED',
      stripeId: 'pi_late',
      stripeRefundId: 're_fake_1',
      version: 2,
    });
    expect(stripe.refunds).toEqual([
      {
        stripeId: 'pi_late',
        amountCents: 4200,
        idempotencyKey: `refund:${payment._id}`,
        metadata: { orderId, paymentId: payment._id },
      },
    ]);
    expect(await announced(payment._id)).toEqual([
      [
        'ChargeRefunded',
        2,
        `ChargeRefunded:${payment._id}`,
        { orderId, amountCents: 4200, currency: 'USD', stripeId: 'pi_late', stripeRefundId: 're_fake_1' },
      ],
    ]);
    expect(await claim(`refund:${payment._id}`)).toMatchObject({ value: 'ours', done: true });
  });

  test('for a cancelled order is refunded', async () => {
    const payment = await givenPayment(await givenOrder({ status: 'CANCELLED' }));
    expect(await ledger.settle(payment, succeeded())).toMatchObject({ status: 'REFUNDED' });
    expect(stripe.refunds).toHaveLength(1);
  });

  test('for an order another payment paid already is refunded', async () => {
    const orderId = await givenOrder();
    const first = await givenPayment(orderId, 1);
    const second = await givenPayment(orderId, 2);
    await ledger.settle(first, succeeded('pi_first'));
    const settled = await ledger.settle(second, succeeded('pi_second'));
    expect(settled).toMatchObject({ status: 'REFUNDED', stripeId: 'pi_second' });
    expect(await stored(first._id)).toMatchObject({ status: 'COMPLETED' });
    expect(stripe.refunds.map((r) => r.stripeId)).toEqual(['pi_second']);
  });

  test('for an order cancelled while the payment was written is refunded after its ChargeCreated', async () => {
    const orderId = await givenOrder();
    const payment = await givenPayment(orderId);
    // The orders' cancellation lands between the payment's write and the ledger's second look at the order.
    let looks = 0;
    const Orders = new Proxy(database.models.Orders, {
      get(target, prop) {
        if (prop !== 'findById') return Reflect.get(target, prop, target);
        return (...args: Parameters<typeof target.findById>) => ({
          lean: async () => {
            if (++looks === 2)
              await target.updateOne({ _id: orderId }, { $set: { status: 'CANCELLED', version: 2 } });
            return target.findById(...args).lean();
          },
        });
      },
    });
    const racing = new PaymentLedger({
      models: { ...database.models, Orders },
      stripe,
      maxAttempts: 3,
      now: () => now,
      kickOutbox: () => undefined,
    });
    const settled = await racing.settle(payment, succeeded('pi_race'));
    expect(looks).toBe(2);
    expect(settled).toMatchObject({ status: 'REFUNDED', stripeId: 'pi_race', version: 3 });
    expect((await announced(payment._id)).map(([type, version]) => [type, version])).toEqual([
      ['ChargeCreated', 2],
      ['ChargeRefunded', 3],
    ]);
    expect(stripe.refunds.map((r) => r.stripeId)).toEqual(['pi_race']);
  });

  test('after its decline was recorded (Stripe changed its mind) is refunded', async () => {
    const payment = await givenPayment(await givenOrder());
    await ledger.settle(payment, declined('pi_1'));
    const settled = await ledger.settle(payment, succeeded('pi_1'));
    expect(settled).toMatchObject({ status: 'REFUNDED', stripeId: 'pi_1', stripeRefundId: 're_fake_1' });
    expect((await announced(payment._id)).map(([type]) => type)).toEqual(['ChargeFailed', 'ChargeRefunded']);
  });
});

test('a pending charge changes nothing and claims nothing: its webhook decides later', async () => {
  const payment = await givenPayment(await givenOrder());
  expect(await ledger.settle(payment, { status: 'pending', stripeId: 'pi_3ds' })).toBe(payment);
  expect(await claim(`outcome:${payment._id}`)).toBeNull();
  expect(await ledger.settle(payment, succeeded('pi_3ds'))).toMatchObject({ status: 'COMPLETED' });
});

describe('a declined charge', () => {
  test('is FAILED with its reason; the order may try again until its last attempt', async () => {
    const orderId = await givenOrder();
    const data = (attempts: number, final: boolean) => ({
      orderId,
      reason: 'card_declined',
      attempts,
      final,
    });
    for (const [attempt, final] of [
      [1, false],
      [2, false],
      [3, true],
    ] as const) {
      const payment = await givenPayment(orderId, attempt);
      const settled = await ledger.settle(payment, declined(`pi_${attempt}`));
      expect(settled).toMatchObject({
        status: 'FAILED',
        failureReason: 'card_declined',
        stripeId: `pi_${attempt}`,
        version: 2,
      });
      expect(await announced(payment._id)).toEqual([
        ['ChargeFailed', 2, `ChargeFailed:${payment._id}`, data(attempt, final)],
      ]);
      expect(await claim(`outcome:${payment._id}`)).toMatchObject({ value: 'failed', done: true });
    }
    expect(stripe.refunds).toEqual([]);
  });

  test('learnt twice is written and announced once, and never refunded', async () => {
    const payment = await givenPayment(await givenOrder());
    await ledger.settle(payment, declined());
    expect(await ledger.settle(payment, declined())).toMatchObject({ status: 'FAILED', version: 2 });
    expect(await announced(payment._id)).toHaveLength(1);
    expect(stripe.refunds).toEqual([]);
  });

  test("counts the order's own declined attempts only, not one still in flight nor another order's", async () => {
    const elsewhere = await givenPayment(await givenOrder());
    await ledger.settle(elsewhere, declined());
    const orderId = await givenOrder();
    await givenPayment(orderId, 1); // still waiting for Stripe
    const payment = await givenPayment(orderId, 2);
    await ledger.settle(payment, declined());
    expect((await announced(payment._id))[0]?.[3]).toMatchObject({ attempts: 1, final: false });
  });

  test('without a PaymentIntent keeps the one the payment knew', async () => {
    const payment = await givenPayment(await givenOrder());
    await database.models.Payments.updateOne({ _id: payment._id }, { $set: { stripeId: 'pi_known' } });
    const known = (await stored(payment._id)) as PaymentDoc;
    expect(await ledger.settle(known, declined(null))).toMatchObject({
      status: 'FAILED',
      stripeId: 'pi_known',
    });
    const other = await givenPayment(await givenOrder());
    expect(await ledger.settle(other, declined(null))).toMatchObject({ status: 'FAILED', stripeId: null });
  });

  test('after its success was recorded changes nothing', async () => {
    const payment = await givenPayment(await givenOrder());
    await ledger.settle(payment, succeeded());
    expect(await ledger.settle(payment, declined())).toMatchObject({ status: 'COMPLETED', version: 2 });
    expect(stripe.refunds).toEqual([]);
  });
});

describe('reconciliation taking over a claim whose holder died', () => {
  /** A claim taken by a process that died before finishing it. */
  const abandoned = (
    kind: 'outcome' | 'refund',
    key: string,
    value: string,
    paymentId: string,
    done = false,
  ) =>
    database.models.Claims.create({
      _id: `${kind}:${key}`,
      kind,
      value,
      paymentId,
      done,
      at: new Date(now.getTime() - 10 * MINUTE),
    });

  test('finishes an outcome claimed with the same value', async () => {
    const payment = await givenPayment(await givenOrder());
    await abandoned('outcome', payment._id, 'succeeded', payment._id);
    expect(await ledger.settle(payment, succeeded())).toMatchObject({ status: 'CREATED', version: 1 });
    expect(await ledger.settle(payment, succeeded(), { takeOver: true })).toMatchObject({
      status: 'COMPLETED',
    });
    expect(await claim(`outcome:${payment._id}`)).toMatchObject({ done: true });
  });

  test('leaves an outcome claimed with another value, or finished', async () => {
    const payment = await givenPayment(await givenOrder());
    await abandoned('outcome', payment._id, 'succeeded', payment._id);
    expect(await ledger.settle(payment, declined(), { takeOver: true })).toMatchObject({ status: 'CREATED' });
    const done = await givenPayment(await givenOrder());
    await abandoned('outcome', done._id, 'succeeded', done._id, true);
    expect(await ledger.settle(done, succeeded(), { takeOver: true })).toMatchObject({ status: 'CREATED' });
  });

  test('finishes a refund claimed but not made, once', async () => {
    const payment = await givenPayment(await givenOrder());
    await abandoned('refund', payment._id, 'ours', payment._id);
    expect(await ledger.refund(payment, 'pi_1')).toMatchObject({ status: 'CREATED' });
    expect(stripe.refunds).toEqual([]);
    expect(await ledger.refund(payment, 'pi_1', { takeOver: true })).toMatchObject({ status: 'REFUNDED' });
    expect(await ledger.refund(payment, 'pi_1', { takeOver: true })).toMatchObject({
      status: 'REFUNDED',
      version: 2,
    });
    expect(stripe.refunds).toHaveLength(1);
  });

  test('a claim taken says who holds it and whether it is finished; an outcome or a refund is, once done', async () => {
    const key = newId();
    expect(await ledger.claims.claim('outcome', key, 'succeeded', key)).toEqual({
      won: true,
      value: 'succeeded',
      done: false,
    });
    expect(await ledger.claims.claim('outcome', key, 'failed', key)).toEqual({
      won: false,
      value: 'succeeded',
      done: false,
    });
    expect(await ledger.claims.claim('paid', key, 'pay-1', key)).toEqual({
      won: true,
      value: 'pay-1',
      done: true,
    });
    expect(await ledger.claims.claim('paid', key, 'pay-2', key)).toEqual({
      won: false,
      value: 'pay-1',
      done: true,
    });
    // Unfinished, the outcome is reconciliation's to take over; the paid claim never is.
    const later = new Date(Date.now() + MINUTE);
    const stale = (await ledger.claims.stale(later)).filter((c) => c.paymentId === key).map((c) => c._id);
    expect(stale).toEqual([`outcome:${key}`]);
    await ledger.claims.finish('outcome', key);
    expect(await ledger.claims.claim('outcome', key, 'failed', key)).toEqual({
      won: false,
      value: 'succeeded',
      done: true,
    });
    expect((await ledger.claims.stale(later)).some((c) => c.paymentId === key)).toBe(false);
  });

  test('a claim the database refuses for another reason than a race is that error, not a lost race', async () => {
    await expect(ledger.claims.claim('outcome', newId(), '', 'p')).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  test('finds the claims left unfinished since before a cutoff', async () => {
    const payment = await givenPayment(await givenOrder());
    await abandoned('refund', payment._id, 'ours', payment._id);
    await abandoned('outcome', payment._id, 'succeeded', payment._id, true);
    const stale = await ledger.claims.stale(new Date(now.getTime() - 5 * MINUTE));
    expect(stale.filter((c) => c.paymentId === payment._id).map((c) => c._id)).toEqual([
      `refund:${payment._id}`,
    ]);
    expect(
      (await ledger.claims.stale(new Date(now.getTime() - 20 * MINUTE))).some(
        (c) => c.paymentId === payment._id,
      ),
    ).toBe(false);
  });
});

describe('refunds', () => {
  test('an order cancelled after it was paid gets its completed payment back, and only that one', async () => {
    const orderId = await givenOrder();
    const failed = await givenPayment(orderId, 1);
    await ledger.settle(failed, declined('pi_failed'));
    const paid = await givenPayment(orderId, 2);
    await ledger.settle(paid, succeeded('pi_paid'));
    await ledger.orderCancelled(orderId);
    expect(await stored(paid._id)).toMatchObject({
      status: 'REFUNDED',
      stripeId: 'pi_paid',
      stripeRefundId: 're_fake_1',
    });
    expect(await stored(failed._id)).toMatchObject({ status: 'FAILED' });
    expect(stripe.refunds.map((r) => r.stripeId)).toEqual(['pi_paid']);
    await ledger.orderCancelled(orderId);
    expect(stripe.refunds).toHaveLength(1);
  });

  test("a refund made in Stripe's dashboard is recorded as it is, without asking Stripe again", async () => {
    const payment = await givenPayment(await givenOrder());
    const paid = await ledger.settle(payment, succeeded('pi_dash'));
    const refunded = await ledger.refundedElsewhere(paid, 're_dashboard');
    expect(refunded).toMatchObject({
      status: 'REFUNDED',
      stripeId: 'pi_dash',
      stripeRefundId: 're_dashboard',
    });
    expect(await claim(`refund:${payment._id}`)).toMatchObject({ value: 're_dashboard', done: true });
    expect(stripe.refunds).toEqual([]);
    expect((await announced(payment._id)).at(-1)?.[3]).toMatchObject({ stripeRefundId: 're_dashboard' });
    // Told again (a redelivered webhook), or of a payment not completed: nothing more.
    expect(await ledger.refundedElsewhere(refunded, 're_dashboard')).toBe(refunded);
    const unpaid = await givenPayment(await givenOrder());
    expect(await ledger.refundedElsewhere(unpaid, 're_x')).toBe(unpaid);
    expect(await stored(unpaid._id)).toMatchObject({ status: 'CREATED' });
  });

  test('a payment that vanished is an error, not a silent success', async () => {
    const payment = await givenPayment(await givenOrder());
    await database.models.Payments.deleteOne({ _id: payment._id });
    await expect(ledger.refund(payment, 'pi_1')).rejects.toThrow(`payment ${payment._id} vanished`);
    await expect(ledger.refund(payment, 'pi_1')).rejects.toThrow(`payment ${payment._id} vanished`);
  });
});
