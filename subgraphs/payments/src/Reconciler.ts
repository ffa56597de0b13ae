import type { Logger } from '@ticketing/kit';
import { storedCurrency } from '@ticketing/kit/money';
import type { PaymentDoc, PaymentsModels } from './models';
import { isPayable } from './OrderProjection';
import type { PaymentLedger } from './PaymentLedger';
import type { ChargeOutcome, StripeGateway } from './stripe/StripeGateway';

export interface ReconcilerDeps {
  models: PaymentsModels;
  ledger: PaymentLedger;
  stripe: StripeGateway;
  now: () => Date;
  /** Payments and claims younger than this are in flight, not stuck. */
  afterMs: number;
  intervalMs: number;
  logger?: Logger;
}

/**
 * Finishes what a crash left half done: payments still CREATED (the charge's outcome never got
 * written) and refunds claimed but not completed. Runs at start and on a timer.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  start(): this {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.deps.intervalMs);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (never two at once); resolves with how many payments it looked at. */
  run(): Promise<number> {
    this.running ??= this.pass()
      .catch((err: unknown) => {
        this.deps.logger?.warn({ err }, 'reconciliation failed; retrying on the next pass');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { models, ledger } = this.deps;
    const cutoff = new Date(this.deps.now().getTime() - this.deps.afterMs);
    let seen = 0;
    for (const claim of await ledger.claims.stale(cutoff)) {
      const payment = await models.Payments.findById(claim.paymentId).lean();
      if (!payment) continue;
      seen++;
      if (claim.kind === 'refund' && payment.status !== 'REFUNDED') {
        await ledger.refund(payment, payment.stripeId ?? '', { takeOver: true });
      } else if (claim.kind === 'outcome' && payment.status === 'CREATED') {
        await this.finish(payment);
      } else {
        await ledger.claims.finish(claim.kind, claim._id.slice(claim.kind.length + 1));
      }
    }
    // By equality, the age checked here (as Claims.stale): payments still CREATED are the few in flight.
    const created = await models.Payments.find({ status: 'CREATED' }).lean();
    for (const payment of created.filter((p) => p.createdAt < cutoff)) {
      seen++;
      await this.finish(payment).catch((err: unknown) =>
        this.deps.logger?.warn({ err, payment: payment._id }, 'could not reconcile payment'),
      );
    }
    return seen;
  }

  /**
   * Asks Stripe how the attempt ended: by id when we have it, else by replaying the creation with
   * the same idempotency key (Stripe answers with the original result, or charges now if the first
   * request never reached it; a charge for an order no longer payable is then refunded).
   */
  private async finish(payment: PaymentDoc): Promise<void> {
    const outcome: ChargeOutcome = payment.stripeId
      ? await this.deps.stripe.retrieve(payment.stripeId)
      : await this.deps.stripe.charge({
          amountCents: payment.amountCents,
          currency: storedCurrency(payment.currency),
          paymentMethodId: payment.paymentMethodId,
          idempotencyKey: payment.idempotencyKey,
          metadata: { orderId: payment.orderId, paymentId: payment._id },
        });
    const order = await this.deps.models.Orders.findById(payment.orderId).lean();
    const abandoned = outcome.status === 'pending' && !isPayable(order, this.deps.now());
    // Still waiting for the customer (3-D Secure) when the order closed: that attempt is over. Should
    // Stripe still report a success later, the webhook finds it recorded as failed and refunds it.
    const final: ChargeOutcome = abandoned
      ? {
          status: 'declined',
          stripeId: outcome.stripeId,
          reason: 'Not completed before the order closed',
          code: null,
        }
      : outcome;
    const settled = await this.deps.ledger.settle(payment, final, { takeOver: true });
    this.deps.logger?.info({ payment: payment._id, status: settled.status }, 'payment reconciled');
  }
}
