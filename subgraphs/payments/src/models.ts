import { type OrderStatus, outboxPlugin, type WithOutbox } from '@ticketing/events';
import { type IdempotencyRecord, registerIdempotencyRecords } from '@ticketing/kit/graphql';
import type { CurrencyCode } from '@ticketing/kit/money';
import { type Connection, type Model, Schema } from 'mongoose';

/** The one definition of a payment's statuses (the GraphQL enum is registered from it). */
export const PAYMENT_STATUSES = ['CREATED', 'FAILED', 'COMPLETED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One attempt to pay one order; its outbox carries ChargeCreated / ChargeFailed / ChargeRefunded. */
export interface PaymentDoc extends WithOutbox {
  /** An ObjectId's hex string. */
  _id: string;
  orderId: string;
  buyerId: string;
  /** 1 for the order's first attempt; (orderId, attempt) is unique. */
  attempt: number;
  status: PaymentStatus;
  /** Integer minor units (cents) of `currency`: what Stripe is asked for. */
  amountCents: number;
  /** The order's ISO 4217 code; lower case ("usd") on payments made before orders carried one (storedCurrency). */
  currency: string;
  paymentMethodId: string;
  /** Sent with the PaymentIntent creation, so a retried or replayed request charges once. */
  idempotencyKey: string;
  stripeId?: string | null;
  stripeRefundId?: string | null;
  failureReason?: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What payments knows of an order, from order events (the orders subgraph owns orders). */
export interface OrderProjectionDoc {
  _id: string;
  version: number;
  ticketId: string;
  buyerId: string;
  priceCents: number;
  /** Absent on orders projected before events carried it: USD. */
  currency?: CurrencyCode;
  status: OrderStatus;
  expiresAt: Date;
}

/**
 * A decision taken by inserting a unique `_id` (FerretDB has no transactions and its conditional
 * updates are not atomic, so every "only one may" in this service is an insert):
 *   `outcome:<paymentId>` which of sync path / webhook / reconciliation writes the payment's fate,
 *   `paid:<orderId>`      the one payment an order is paid with,
 *   `refund:<paymentId>`  the one refund of a payment.
 * `done` turns true once the holder finished; reconciliation takes over stale unfinished claims.
 */
export interface ClaimDoc {
  _id: string;
  kind: 'outcome' | 'paid' | 'refund';
  value: string;
  paymentId: string;
  done: boolean;
  at: Date;
}

const paymentSchema = new Schema<PaymentDoc>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    buyerId: { type: String, required: true },
    attempt: { type: Number, required: true },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    amountCents: { type: Number, required: true },
    currency: { type: String, required: true },
    paymentMethodId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    stripeId: { type: String, default: null },
    stripeRefundId: { type: String, default: null },
    failureReason: { type: String, default: null },
    version: { type: Number, required: true },
  },
  { timestamps: true },
);
// Two concurrent payOrder calls for one order compute the same attempt: one insert wins. Also the
// index of every `{orderId}` query (Order.payment, an order's attempts).
paymentSchema.index({ orderId: 1, attempt: 1 }, { unique: true });
paymentSchema.index({ status: 1, createdAt: 1 });
paymentSchema.index({ stripeId: 1 });
paymentSchema.plugin(outboxPlugin);

const orderSchema = new Schema<OrderProjectionDoc>({
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  ticketId: { type: String, required: true },
  buyerId: { type: String, required: true },
  priceCents: { type: Number, required: true },
  currency: { type: String },
  status: { type: String, required: true },
  expiresAt: { type: Date, required: true },
});

const claimSchema = new Schema<ClaimDoc>({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  value: { type: String, required: true },
  paymentId: { type: String, required: true },
  done: { type: Boolean, required: true },
  at: { type: Date, required: true },
});
claimSchema.index({ done: 1, at: 1 });

export interface PaymentsModels {
  Payments: Model<PaymentDoc>;
  Orders: Model<OrderProjectionDoc>;
  Claims: Model<ClaimDoc>;
  /** payOrder's idempotency keys (read by `_id`; expiresAt's TTL index). */
  IdempotencyRecords: Model<IdempotencyRecord>;
}

export function registerModels(connection: Connection): PaymentsModels {
  return {
    Payments: connection.model<PaymentDoc>('Payment', paymentSchema, 'payments'),
    Orders: connection.model<OrderProjectionDoc>('OrderProjection', orderSchema, 'orders'),
    Claims: connection.model<ClaimDoc>('Claim', claimSchema, 'claims'),
    IdempotencyRecords: registerIdempotencyRecords(connection),
  };
}
