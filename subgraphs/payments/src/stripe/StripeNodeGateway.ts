import Stripe from 'stripe';
import type { ChargeOutcome, ChargeRequest, RefundRequest, StripeGateway } from './StripeGateway';
import { testModeDecline } from './testDeclines';

export interface StripeNodeGatewayOptions {
  secretKey: string;
  /** stripe-mock's URL (e.g. http://127.0.0.1:12111); undefined for real Stripe. */
  apiBase?: string | undefined;
}

/** The real StripeGateway: stripe-node, against real Stripe or stripe-mock. */
export class StripeNodeGateway implements StripeGateway {
  readonly stripe: Stripe;
  /**
   * stripe-mock answers fixtures: every PaymentIntent it returns has the same canned status
   * ("requires_payment_method"), whatever happened. Against it, a call that did not fail is the
   * success it stands in for, except for Stripe's decline test cards (testModeDecline).
   */
  private readonly mock: boolean;

  constructor(options: StripeNodeGatewayOptions) {
    this.mock = options.apiBase !== undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      ...(options.apiBase ? hostOf(options.apiBase) : {}),
    });
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    // stripe-mock cannot decline: its answer to a decline test card is the decline test mode gives.
    const declined = this.mock ? testModeDecline(request.paymentMethodId) : null;
    if (declined) return declined;
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          // Stripe names currencies in lower case ("usd").
          currency: request.currency.toLowerCase(),
          payment_method: request.paymentMethodId,
          confirm: true,
          // A server-side confirmation: no redirect-based methods, 3-D Secure ends by webhook.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: request.metadata,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return this.outcomeOf(intent);
    } catch (err) {
      const declined = declineOf(err);
      if (declined) return declined;
      throw err;
    }
  }

  async retrieve(stripeId: string): Promise<ChargeOutcome> {
    return this.outcomeOf(await this.stripe.paymentIntents.retrieve(stripeId));
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    const refund = await this.stripe.refunds.create(
      { payment_intent: request.stripeId, amount: request.amountCents, metadata: request.metadata },
      { idempotencyKey: request.idempotencyKey },
    );
    return { refundId: refund.id };
  }

  private outcomeOf(intent: Stripe.PaymentIntent): ChargeOutcome {
    if (this.mock || intent.status === 'succeeded') return { status: 'succeeded', stripeId: intent.id };
    if (intent.status === 'requires_payment_method' || intent.status === 'canceled') {
      const error = intent.last_payment_error;
      return {
        status: 'declined',
        stripeId: intent.id,
        reason: error?.message ?? `The payment was ${intent.status === 'canceled' ? 'canceled' : 'declined'}`,
        code: error?.decline_code ?? error?.code ?? null,
      };
    }
    return { status: 'pending', stripeId: intent.id };
  }
}

/** stripe-node's `{ host, port, protocol }` from a URL such as http://127.0.0.1:12111. */
export function hostOf(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const parsed = new URL(apiBase);
  const protocol = parsed.protocol === 'https:' ? 'https' : 'http';
  const port = parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80;
  return { host: parsed.hostname, port, protocol };
}

/** A card decline, or a payment method Stripe does not accept: the buyer's to fix, not ours. */
function declineOf(err: unknown): ChargeOutcome | null {
  if (!(err instanceof Stripe.errors.StripeError)) return null;
  const paymentMethodProblem =
    err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'payment_method';
  if (!(err instanceof Stripe.errors.StripeCardError) && !paymentMethodProblem) return null;
  return {
    status: 'declined',
    stripeId: err.payment_intent?.id ?? null,
    reason: err.message,
    code: err.decline_code ?? err.code ?? null,
  };
}
