import { ChargeAttempted, outboxFields } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import { isDuplicateKeyError } from '@ticketing/kit';
import {
  appError,
  badUserInput,
  claimOrReplay,
  conflict,
  ErrorCode,
  forbidden,
  type IdempotencyKeys,
  notFound,
} from '@ticketing/kit/graphql';
import { storedCurrency } from '@ticketing/kit/money';
import { GraphQLError } from 'graphql';
import { Types } from 'mongoose';
import type { PaymentDoc, PaymentsModels } from './models';
import { isPayable } from './OrderProjection';
import type { PaymentLedger } from './PaymentLedger';
import type { StripeGateway } from './stripe/StripeGateway';

export interface PayOrderDeps {
  models: PaymentsModels;
  ledger: PaymentLedger;
  stripe: StripeGateway;
  maxAttempts: number;
  now: () => Date;
  /** How long payOrder waits for an order's OrderCreated to arrive (the buyer may be quicker). */
  orderWaitMs: number;
  /** Asks the outbox relay to publish now. */
  kickOutbox: () => void;
  /** payOrder's idempotency keys (the client's; Stripe's are per payment). */
  idempotency: IdempotencyKeys;
  logger?: Logger;
}

const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9_]{1,200}$/;

/** How long a retry waits for the first call's charge to settle before answering with it CREATED. */
const REPLAY_WAIT_MS = 5_000;

/**
 * payOrder: checks, records the attempt (CREATED, announced by ChargeAttempted: the order awaits
 * the payment), charges, and settles what Stripe answered.
 */
export class PayOrder {
  constructor(private readonly deps: PayOrderDeps) {}

  /** `idempotencyKey`: the client's (see IdempotencyKeys); null when it sent none. */
  async run(
    buyerId: string,
    orderId: string,
    paymentMethodId: string,
    idempotencyKey: string | null = null,
  ): Promise<PaymentDoc> {
    if (!PAYMENT_METHOD_ID.test(paymentMethodId)) {
      throw badUserInput([
        { field: 'paymentMethodId', message: 'must be a Stripe PaymentMethod id (pm_...)' },
      ]);
    }
    const { models, now } = this.deps;
    // The client's key names this payment, and the payment carries Stripe's idempotency key:
    // a retry finds the payment (its outcome, or waits for it) and never charges under another.
    const claim = await claimOrReplay(
      this.deps.idempotency,
      {
        operation: 'payOrder',
        scope: buyerId,
        key: idempotencyKey,
        input: { orderId, paymentMethodId },
        resultId: new Types.ObjectId().toHexString(),
      },
      ({ resultId }) => this.replay(resultId, buyerId),
    );
    if (claim.replayed) return claim.replayed;
    const _id = claim.resultId;
    const order = orderId.length <= 100 ? await this.waitForOrder(orderId) : null;
    if (!order) throw notFound('Order');
    if (order.buyerId !== buyerId) throw forbidden('Only the buyer can pay this order');
    if (order.status === 'COMPLETE') throw conflict('The order is already paid');
    if (order.status === 'CANCELLED') throw conflict('The order is cancelled');
    if (!isPayable(order, now())) throw conflict('The order has expired');

    const previous = await models.Payments.find({ orderId }, { status: 1, attempt: 1 }).lean();
    // Written a moment ago by a concurrent call with the same idempotency key.
    if (previous.some((p) => p._id === _id)) return (await this.replay(_id, buyerId)) ?? this.gone(_id);
    if (previous.some((p) => p.status === 'COMPLETED' || p.status === 'REFUNDED'))
      throw conflict('The order is already paid');
    if (previous.some((p) => p.status === 'CREATED'))
      throw conflict('A payment for this order is in progress');
    if (previous.length >= this.deps.maxAttempts) throw conflict('Too many declined payments for this order');

    const attempt = Math.max(0, ...previous.map((p) => p.attempt)) + 1;
    // The order's price, exactly as orders announced it: the minor units Stripe is asked for.
    const currency = storedCurrency(order.currency);
    const payment: PaymentDoc = {
      _id,
      orderId,
      buyerId,
      attempt,
      status: 'CREATED',
      amountCents: order.priceCents,
      currency,
      paymentMethodId,
      idempotencyKey: `payorder:${orderId}:${attempt}`,
      version: 1,
      createdAt: now(),
      updatedAt: now(),
      ...outboxFields(
        ChargeAttempted.create({
          aggregateId: _id,
          aggregateVersion: 1,
          data: { orderId, amountCents: order.priceCents, currency, attempt },
        }),
      ),
    };
    try {
      // Recorded before Stripe is called: a crash after the charge leaves a trace to reconcile.
      await models.Payments.create(payment);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const first = idempotencyKey && (await this.replay(_id, buyerId));
      if (first) return first;
      throw conflict('A payment for this order is in progress');
    }
    this.deps.kickOutbox();

    let settled: PaymentDoc;
    try {
      const outcome = await this.deps.stripe.charge({
        amountCents: payment.amountCents,
        currency,
        paymentMethodId,
        idempotencyKey: payment.idempotencyKey,
        metadata: { orderId, paymentId: _id },
      });
      settled = await this.deps.ledger.settle(payment, outcome);
    } catch (err) {
      if (err instanceof GraphQLError) throw err;
      // Outcome unknown (Stripe or the database unreachable): the payment stays CREATED and
      // reconciliation finishes it with the same idempotency key.
      this.deps.logger?.error({ err, payment: _id }, 'charge outcome unknown; left to reconciliation');
      throw appError(ErrorCode.INTERNAL_SERVER_ERROR, 'The payment could not be confirmed yet');
    }
    if (settled.status === 'FAILED') throw await this.declined(settled);
    if (settled.status === 'COMPLETED') await this.untilOrdersHeard(orderId);
    return settled;
  }

  /**
   * payOrder's answer is partly read from orders (the order's ticket, its version), which hears of
   * the charge only by event: this waits, a little, until it has. Our projection of the order turns
   * final from orders' own OrderCompleted (or OrderCancelled), so by then orders answers with the
   * order paid and its ticket SOLD. Bounded by `orderWaitMs`: past it the answer goes out as it is (the order's
   * status, which this subgraph provides, is right; its ticket may show RESERVED a moment longer).
   */
  private async untilOrdersHeard(orderId: string): Promise<void> {
    const deadline = Date.now() + this.deps.orderWaitMs;
    for (;;) {
      const order = await this.deps.models.Orders.findById(orderId, { status: 1 }).lean();
      // CANCELLED too: orders refused the payment (the lock ran out), a refund follows.
      if (order?.status === 'COMPLETE' || order?.status === 'CANCELLED' || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * The payment a call with the same idempotency key made, as the first call answered: the
   * payment, or the same decline. While its charge is in flight (the first call still running)
   * this waits for it a little, then returns it CREATED: reconciliation finishes it with the same
   * Stripe idempotency key, never a second charge. Null when no such payment was written.
   */
  private async replay(paymentId: string, buyerId: string): Promise<PaymentDoc | null> {
    const deadline = Date.now() + REPLAY_WAIT_MS;
    for (;;) {
      const first = await this.deps.models.Payments.findById(paymentId).lean();
      if (!first || first.buyerId !== buyerId) return null;
      if (first.status === 'FAILED') throw await this.declined(first);
      if (first.status !== 'CREATED' || Date.now() >= deadline) return first;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private gone(paymentId: string): never {
    throw new Error(`payment ${paymentId} vanished`);
  }

  /** Stripe's reason, on the field the buyer can change, and how many tries remain. */
  private async declined(payment: PaymentDoc): Promise<GraphQLError> {
    const failed = await this.deps.models.Payments.countDocuments({
      orderId: payment.orderId,
      status: 'FAILED',
    });
    const attemptsLeft = Math.max(0, this.deps.maxAttempts - failed);
    const reason = payment.failureReason ?? 'The payment was declined';
    const message =
      attemptsLeft > 0
        ? `Payment declined: ${reason} Try another payment method.`
        : `Payment declined: ${reason} That was the last attempt; the order is cancelled.`;
    return appError(ErrorCode.BAD_USER_INPUT, message, {
      fields: [{ field: 'paymentMethodId', message: reason }],
      declined: true,
      attemptsLeft,
      paymentId: payment._id,
    });
  }

  /** The order's projection; an order created a moment ago may not have reached us yet. */
  private async waitForOrder(orderId: string) {
    const deadline = Date.now() + this.deps.orderWaitMs;
    for (;;) {
      const order = await this.deps.models.Orders.findById(orderId).lean();
      if (order || Date.now() >= deadline) return order;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
