import type { CurrencyCode } from '@ticketing/kit/money';

/**
 * What payments needs of Stripe, and nothing more: the boundary where tests put a double (stripe-mock
 * never declines). StripeNodeGateway is the real one, on stripe-node.
 */
export interface StripeGateway {
  /** Creates and confirms a PaymentIntent. Throws only when the outcome is unknown (network, 5xx). */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The current outcome of a PaymentIntent. */
  retrieve(stripeId: string): Promise<ChargeOutcome>;
  /** Refunds a PaymentIntent in full. */
  refund(request: RefundRequest): Promise<{ refundId: string }>;
}

export interface ChargeRequest {
  /** Integer minor units (cents): Stripe's `amount` is in the currency's smallest unit. */
  amountCents: number;
  currency: CurrencyCode;
  paymentMethodId: string;
  idempotencyKey: string;
  metadata: { orderId: string; paymentId: string };
}

export type ChargeOutcome =
  | { status: 'succeeded'; stripeId: string }
  /** Waiting for the customer (3-D Secure) or the bank; a webhook tells the end. */
  | { status: 'pending'; stripeId: string }
  | { status: 'declined'; stripeId: string | null; reason: string; code: string | null };

export interface RefundRequest {
  stripeId: string;
  amountCents: number;
  idempotencyKey: string;
  metadata: { orderId: string; paymentId: string };
}
