import {
  ChargeCreated,
  ChargeFailed,
  ChargeRefunded,
  type DomainEvent,
  type VersionedChange,
  VersionedWriter,
} from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import { storedCurrency } from '@ticketing/kit/money';
import { Claims } from './Claims';
import type { PaymentDoc, PaymentStatus, PaymentsModels } from './models';
import { isPayable } from './OrderProjection';
import type { ChargeOutcome, StripeGateway } from './stripe/StripeGateway';

export interface PaymentLedgerDeps {
  models: PaymentsModels;
  stripe: StripeGateway;
  /** Declines an order may take; the last one makes ChargeFailed final. */
  maxAttempts: number;
  now: () => Date;
  /** Asks the outbox relay to publish now. */
  kickOutbox: () => void;
  logger?: Logger;
}

export interface SettleOptions {
  /** Reconciliation: finish a claim whose holder is presumed dead, instead of leaving it to them. */
  takeOver?: boolean;
}

/**
 * Where a payment's fate is written, whichever path learnt it (payOrder, the webhook, reconciliation,
 * an order cancellation). Each decision is a claim (unique insert), so exactly one writer touches a
 * payment document per transition, and events have ids derived from payment and type, so finishing
 * a half-done transition twice publishes once.
 */
export class PaymentLedger {
  readonly claims: Claims;
  private readonly writer: VersionedWriter<PaymentDoc>;

  constructor(private readonly deps: PaymentLedgerDeps) {
    this.claims = new Claims(deps.models.Claims);
    this.writer = new VersionedWriter({ model: deps.models.Payments, kickOutbox: deps.kickOutbox });
  }

  async settle(
    payment: PaymentDoc,
    outcome: ChargeOutcome,
    options: SettleOptions = {},
  ): Promise<PaymentDoc> {
    if (outcome.status === 'pending') return payment;
    const value = outcome.status === 'succeeded' ? 'succeeded' : 'failed';
    const claim = await this.claims.claim('outcome', payment._id, value, payment._id);
    const mine = claim.won || (options.takeOver && claim.value === value && !claim.done);
    if (outcome.status === 'succeeded' && !mine && claim.value === 'failed') {
      // Stripe took the money for an attempt we already recorded as declined: give it back.
      return this.refund(payment, outcome.stripeId, options);
    }
    if (!mine) return this.reload(payment);
    const settled =
      outcome.status === 'succeeded'
        ? await this.succeed(payment, outcome.stripeId, options)
        : await this.fail(payment, outcome.stripeId, outcome.reason);
    await this.claims.finish('outcome', payment._id);
    return settled;
  }

  /** Refunds the order's completed payment, if any: the order was cancelled before orders saw it paid. */
  async orderCancelled(orderId: string): Promise<void> {
    const completed = await this.deps.models.Payments.find({ orderId, status: 'COMPLETED' }).lean();
    for (const payment of completed) await this.refund(payment, payment.stripeId ?? '');
  }

  /** A refund made outside this service (Stripe's dashboard), learnt from the charge.refunded webhook. */
  async refundedElsewhere(payment: PaymentDoc, refundId: string): Promise<PaymentDoc> {
    if (payment.status !== 'COMPLETED') return payment;
    return this.refund(payment, payment.stripeId ?? '', {}, refundId);
  }

  /** Refunds a charged payment once, whoever asks, and records REFUNDED with ChargeRefunded. */
  async refund(
    payment: PaymentDoc,
    stripeId: string,
    options: SettleOptions = {},
    existingRefundId?: string,
  ): Promise<PaymentDoc> {
    const claim = await this.claims.claim('refund', payment._id, existingRefundId ?? 'ours', payment._id);
    if (!claim.won && !(options.takeOver && !claim.done)) return this.reload(payment);
    const metadata = { orderId: payment.orderId, paymentId: payment._id };
    const refundId =
      existingRefundId ??
      (
        await this.deps.stripe.refund({
          stripeId,
          amountCents: payment.amountCents,
          idempotencyKey: `refund:${payment._id}`,
          metadata,
        })
      ).refundId;
    const event = (version: number) =>
      ChargeRefunded.create({
        id: `ChargeRefunded:${payment._id}`,
        aggregateId: payment._id,
        aggregateVersion: version,
        data: {
          orderId: payment.orderId,
          amountCents: payment.amountCents,
          currency: storedCurrency(payment.currency),
          stripeId,
          stripeRefundId: refundId,
        },
      });
    const done = await this.transition(payment, ['CREATED', 'COMPLETED', 'FAILED'], event, {
      status: 'REFUNDED',
      stripeId,
      stripeRefundId: refundId,
    });
    await this.claims.finish('refund', payment._id);
    this.deps.logger?.info({ payment: payment._id, order: payment.orderId, refundId }, 'payment refunded');
    return done;
  }

  private async succeed(payment: PaymentDoc, stripeId: string, options: SettleOptions): Promise<PaymentDoc> {
    const { Orders } = this.deps.models;
    if (!isPayable(await Orders.findById(payment.orderId).lean(), this.deps.now())) {
      return this.refund(payment, stripeId, options); // cancelled or expired meanwhile
    }
    // One successful payment per order, decided by the database.
    const paid = await this.claims.claim('paid', payment.orderId, payment._id, payment._id);
    if (paid.value !== payment._id) return this.refund(payment, stripeId, options);
    const event = (version: number) =>
      ChargeCreated.create({
        id: `ChargeCreated:${payment._id}`,
        aggregateId: payment._id,
        aggregateVersion: version,
        data: {
          orderId: payment.orderId,
          amountCents: payment.amountCents,
          currency: storedCurrency(payment.currency),
          stripeId,
        },
      });
    const completed = await this.transition(payment, ['CREATED'], event, { status: 'COMPLETED', stripeId });
    // The order may have been cancelled while we wrote; its handler reads payments after marking the
    // projection, we read the projection after marking the payment: one of the two sees the other.
    const now = await Orders.findById(payment.orderId, { status: 1 }).lean();
    if (now?.status === 'CANCELLED') return this.refund(completed, stripeId, options);
    return completed;
  }

  private async fail(payment: PaymentDoc, stripeId: string | null, reason: string): Promise<PaymentDoc> {
    const { Payments } = this.deps.models;
    // The order's few attempts by equality on orderId (indexed), counted here: a count or a `$ne`
    // makes FerretDB read the whole collection.
    const attemptsOfOrder = await Payments.find({ orderId: payment.orderId }, { status: 1 }).lean();
    const failedBefore = attemptsOfOrder.filter((p) => p.status === 'FAILED' && p._id !== payment._id).length;
    const attempts = failedBefore + 1;
    const event = (version: number) =>
      ChargeFailed.create({
        id: `ChargeFailed:${payment._id}`,
        aggregateId: payment._id,
        aggregateVersion: version,
        data: { orderId: payment.orderId, reason, attempts, final: attempts >= this.deps.maxAttempts },
      });
    return this.transition(payment, ['CREATED'], event, {
      status: 'FAILED',
      stripeId: stripeId ?? payment.stripeId ?? null,
      failureReason: reason,
    });
  }

  /**
   * One write: the new state, the version, and the event in the outbox; nothing when the payment
   * has left every status in `from` meanwhile (another path settled it first).
   */
  private async transition(
    payment: PaymentDoc,
    from: PaymentStatus[],
    event: (version: number) => DomainEvent,
    set: VersionedChange<PaymentDoc>['set'],
  ): Promise<PaymentDoc> {
    const done = await this.writer.change(payment._id, (current) =>
      from.includes(current.status) ? { set, events: (next) => [event(next.version)] } : null,
    );
    if (!done) throw new Error(`payment ${payment._id} vanished`);
    return done;
  }

  private async reload(payment: PaymentDoc): Promise<PaymentDoc> {
    const fresh = await this.deps.models.Payments.findById(payment._id).lean();
    if (!fresh) throw new Error(`payment ${payment._id} vanished`);
    return fresh;
  }
}
