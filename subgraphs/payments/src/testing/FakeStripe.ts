import type { ChargeOutcome, ChargeRequest, RefundRequest, StripeGateway } from '../stripe/StripeGateway';

type Script = (request: ChargeRequest) => Promise<ChargeOutcome> | ChargeOutcome;

/**
 * A Stripe double for tests (stripe-mock never declines): each charge takes the next scripted answer,
 * or succeeds. Every request is recorded.
 */
export class FakeStripe implements StripeGateway {
  readonly charges: ChargeRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  private readonly script: Script[] = [];

  /** The next charges answer these, in order. */
  answer(...answers: Script[]): this {
    this.script.push(...answers);
    return this;
  }

  static decline(reason = 'Your card was declined.', code = 'card_declined'): Script {
    return (request) => ({ status: 'declined', stripeId: `pi_fake_${request.idempotencyKey}`, reason, code });
  }

  static pending(): Script {
    return (request) => ({ status: 'pending', stripeId: `pi_fake_${request.idempotencyKey}` });
  }

  /** Succeeds only once `gate` resolves: lets a test act while Stripe is "thinking". */
  static after(gate: Promise<unknown>): Script {
    return async (request) => {
      await gate;
      return { status: 'succeeded', stripeId: `pi_fake_${request.idempotencyKey}` };
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    this.charges.push(request);
    const next = this.script.shift();
    return next ? next(request) : { status: 'succeeded', stripeId: `pi_fake_${request.idempotencyKey}` };
  }

  async retrieve(stripeId: string): Promise<ChargeOutcome> {
    return { status: 'succeeded', stripeId };
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    this.refunds.push(request);
    return { refundId: `re_fake_${this.refunds.length}` };
  }
}
