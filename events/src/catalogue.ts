import { CURRENCY_CODES, LEGACY_CURRENCY } from '@ticketing/kit/money';
import { z } from 'zod';
import { defineEvent } from './defineEvent';

// The catalogue: every event the services exchange, defined once. Who publishes and who consumes
// each one is drawn in events/README.md. Money is always an integer of the currency's minor units
// (`…Cents`: cents for USD) beside its `currency`; times are ISO-8601 strings.

const id = z.string().min(1);
const cents = z.number().int().nonnegative();
const isoTime = z.iso.datetime();
/**
 * The ISO 4217 currency of the amount beside it. Added to schemaVersion 1 as an optional field, so
 * both shapes stay readable through a rolling deploy: a consumer built before it ignores it (zod
 * drops unknown keys), and an event without it (published before, or by a replica not updated
 * yet) reads as LEGACY_CURRENCY, which every amount was in then. Producers always write it.
 */
const currency = z.enum(CURRENCY_CODES).default(LEGACY_CURRENCY);

// The one definition of each status the services share: models, GraphQL enums and test helpers
// derive from these (a value and a type of the same name).
/** WITHDRAWN: taken off sale by its seller while AVAILABLE; final, like SOLD. */
export const TicketStatus = z.enum(['AVAILABLE', 'RESERVED', 'SOLD', 'WITHDRAWN']);
export type TicketStatus = z.infer<typeof TicketStatus>;
/** CREATED → AWAITING_PAYMENT (a payment attempt in flight) ⇄ CREATED, then COMPLETE or CANCELLED. */
export const OrderStatus = z.enum(['CREATED', 'AWAITING_PAYMENT', 'COMPLETE', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;
/** The statuses an order may still leave: it can be cancelled, expire or be paid. */
export const ActiveOrderStatus = OrderStatus.extract(['CREATED', 'AWAITING_PAYMENT']);
export type ActiveOrderStatus = z.infer<typeof ActiveOrderStatus>;
export const CancelReason = z.enum(['cancelled', 'expired', 'payment_failed']);
export type CancelReason = z.infer<typeof CancelReason>;

export const UserCreated = defineEvent({
  type: 'UserCreated',
  subject: 'users.created',
  schemaVersion: 1,
  data: z.object({ email: z.string() }),
});

export const UserUpdated = defineEvent({
  type: 'UserUpdated',
  subject: 'users.updated',
  schemaVersion: 1,
  data: z.object({ email: z.string().optional(), banned: z.boolean().optional() }),
});

/**
 * Someone asked to reset this account's password (users, for the email worker's mail).
 * `sealedToken` is the reset token sealed with kit's sealText (purpose PASSWORD_RESET_SEAL_PURPOSE,
 * context the user id) under INTERNAL_JWT_KEY: users keeps only the token's hash, and nothing in
 * the outbox or on the stream opens without that key. Not a change of the account: its
 * aggregateVersion is the account's current one, and no projection of users applies it.
 */
export const PasswordResetRequested = defineEvent({
  type: 'PasswordResetRequested',
  subject: 'users.password-reset-requested',
  schemaVersion: 1,
  data: z.object({ email: z.string(), sealedToken: z.string(), expiresAt: isoTime }),
});
export const PASSWORD_RESET_SEAL_PURPOSE = 'password reset token v1';

export const TicketCreated = defineEvent({
  type: 'TicketCreated',
  subject: 'tickets.created',
  schemaVersion: 1,
  data: z.object({ title: z.string(), priceCents: cents, currency, sellerId: id }),
});

export const TicketUpdated = defineEvent({
  type: 'TicketUpdated',
  subject: 'tickets.updated',
  schemaVersion: 1,
  data: z.object({
    title: z.string(),
    priceCents: cents,
    currency,
    sellerId: id,
    status: TicketStatus,
    reservedUntil: isoTime.nullable(),
    orderId: id.nullable(),
  }),
});

export const OrderCreated = defineEvent({
  type: 'OrderCreated',
  subject: 'orders.created',
  schemaVersion: 1,
  data: z.object({ ticketId: id, buyerId: id, priceCents: cents, currency, expiresAt: isoTime }),
});

export const OrderCancelled = defineEvent({
  type: 'OrderCancelled',
  subject: 'orders.cancelled',
  schemaVersion: 1,
  data: z.object({ ticketId: id, buyerId: id, reason: CancelReason }),
});

/**
 * An order started awaiting a payment attempt (AWAITING_PAYMENT), or awaits none again after a
 * decline that was not the last (CREATED). Only live views need it; payments tells orders the rest.
 */
export const OrderPaymentUpdated = defineEvent({
  type: 'OrderPaymentUpdated',
  subject: 'orders.payment-updated',
  schemaVersion: 1,
  data: z.object({ ticketId: id, buyerId: id, status: ActiveOrderStatus, paymentId: id }),
});

/** From the expiration worker: the order's lock window is over. The aggregate version is the one it was scheduled for. */
export const OrderExpired = defineEvent({
  type: 'OrderExpired',
  subject: 'orders.expired',
  schemaVersion: 1,
  data: z.object({ expiresAt: isoTime }),
});

export const OrderCompleted = defineEvent({
  type: 'OrderCompleted',
  subject: 'orders.completed',
  schemaVersion: 1,
  data: z.object({ ticketId: id, buyerId: id, paymentId: id }),
});

/**
 * A payment attempt was recorded and Stripe is being asked: the order awaits its outcome. The
 * aggregate is the payment (version 1); its ChargeCreated or ChargeFailed follows as version 2.
 */
export const ChargeAttempted = defineEvent({
  type: 'ChargeAttempted',
  subject: 'payments.charge-attempted',
  schemaVersion: 1,
  data: z.object({ orderId: id, amountCents: cents, currency, attempt: z.number().int().positive() }),
});

/** A payment succeeded. The aggregate is the payment. */
export const ChargeCreated = defineEvent({
  type: 'ChargeCreated',
  subject: 'payments.charge-created',
  schemaVersion: 1,
  data: z.object({ orderId: id, amountCents: cents, currency, stripeId: z.string() }),
});

export const ChargeFailed = defineEvent({
  type: 'ChargeFailed',
  subject: 'payments.charge-failed',
  schemaVersion: 1,
  data: z.object({
    orderId: id,
    reason: z.string(),
    attempts: z.number().int().positive(),
    /** True when the order is to be cancelled (too many declines). */
    final: z.boolean(),
  }),
});

export const ChargeRefunded = defineEvent({
  type: 'ChargeRefunded',
  subject: 'payments.charge-refunded',
  schemaVersion: 1,
  data: z.object({
    orderId: id,
    amountCents: cents,
    currency,
    stripeId: z.string(),
    stripeRefundId: z.string(),
  }),
});

export const catalogue = [
  UserCreated,
  UserUpdated,
  PasswordResetRequested,
  TicketCreated,
  TicketUpdated,
  OrderCreated,
  OrderPaymentUpdated,
  OrderCancelled,
  OrderExpired,
  OrderCompleted,
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
  ChargeRefunded,
] as const;

export type AnyEventDefinition = (typeof catalogue)[number];

const byType = new Map<string, AnyEventDefinition>(catalogue.map((d) => [d.type, d]));

export function definitionOf(type: string): AnyEventDefinition {
  const def = byType.get(type);
  if (!def) throw new Error(`unknown event type "${type}"`);
  return def;
}

/** Whether events of `type` are published under `domain`'s subjects (`<domain>.…`); false for unknown types. */
export function isSubjectOf(domain: string, type: string): boolean {
  return byType.get(type)?.subject.startsWith(`${domain}.`) ?? false;
}
