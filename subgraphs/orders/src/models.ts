import {
  ActiveOrderStatus,
  type CancelReason,
  type OrderStatus,
  outboxPlugin,
  type Projected,
  type TicketStatus,
  type WithOutbox,
} from '@ticketing/events';
import { type IdempotencyRecord, registerIdempotencyRecords } from '@ticketing/kit/graphql';
import type { CurrencyCode } from '@ticketing/kit/money';
import { type Connection, type Model, type mongo, Schema, type Types } from 'mongoose';

/** The statuses an order may still leave (for queries): it can be cancelled, expire or be paid. */
export const ACTIVE: readonly OrderStatus[] = ActiveOrderStatus.options;

/** The minute (since the epoch) a time falls in: an order's `expiresMinute`. */
export const expiryMinuteOf = (at: Date): number => Math.floor(at.getTime() / 60_000);

export interface OrderDoc extends WithOutbox {
  _id: Types.ObjectId;
  ticketId: string;
  buyerId: string;
  /** The ticket's price when the order was made, in minor units (cents) of `currency`. */
  priceCents: number;
  /** Absent on orders made before prices carried a currency: read as USD (storedCurrency). */
  currency?: CurrencyCode;
  status: OrderStatus;
  expiresAt: Date;
  /** The minute expiresAt falls in (expiryMinuteOf), which the sweeper looks up by equality; absent on orders made before it. */
  expiresMinute?: number;
  cancelReason: CancelReason | null;
  /** The payment that paid it, once COMPLETE. */
  paymentId: string | null;
  /** The payment attempt in flight while AWAITING_PAYMENT. */
  attemptId?: string | null;
  /** Payment attempts whose outcome is known: their late or replayed events change nothing. */
  settledAttemptIds?: string[];
  version: number;
  createdAt: Date;
  /** The buyer's slot this order holds while active (BuyerSlots); absent on orders made before slots. */
  slot?: string;
}

/** What orders knows of a ticket, from ticket events in version order. */
export interface TicketCopy extends Projected {
  title: string;
  priceCents: number;
  /** Absent on copies made before events carried it: USD. */
  currency?: CurrencyCode;
  sellerId: string;
  /** Absent on copies made before orders kept it (read as AVAILABLE). */
  status?: TicketStatus;
  reservedUntil?: Date | null;
}

/**
 * The lock: at most one per ticket, decided by the unique `_id` on insert (atomic on MongoDB and
 * FerretDB alike). It names the order holding it; it is deleted only by that order's cancellation
 * (filtered by orderId), and kept, marked sold, once the order is complete.
 */
export interface LockDoc {
  _id: string;
  orderId: string;
  at: Date;
  sold: boolean;
}

/** One of a buyer's active-order slots (`_id: <buyerId>:<n>`), held by `orderId`; see BuyerSlots. */
export interface SlotDoc {
  _id: string;
  orderId: string;
  at: Date;
}

/** When a buyer may order a ticket again after cancelling an order for it (`_id: <buyerId>:<ticketId>`). */
export interface CooldownDoc {
  _id: string;
  until: Date;
}

const orderSchema = new Schema<OrderDoc>({
  ticketId: { type: String, required: true },
  buyerId: { type: String, required: true },
  priceCents: { type: Number, required: true },
  currency: { type: String },
  status: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  expiresMinute: { type: Number },
  cancelReason: { type: String, default: null },
  paymentId: { type: String, default: null },
  attemptId: { type: String, default: null },
  settledAttemptIds: { type: [String], default: [] },
  version: { type: Number, required: true },
  createdAt: { type: Date, required: true },
  slot: { type: String },
});
// A buyer's orders, newest first.
orderSchema.index({ buyerId: 1, createdAt: -1 });
// The sweeper's queries, by equality: the active orders expiring in a given minute, and (on its
// full pass) every active order by status.
orderSchema.index({ status: 1, expiresMinute: 1 });
orderSchema.plugin(outboxPlugin);

const lockSchema = new Schema<LockDoc>({
  _id: { type: String, required: true },
  orderId: { type: String, required: true },
  at: { type: Date, required: true },
  sold: { type: Boolean, required: true },
});
lockSchema.index({ sold: 1, at: 1 });

const cooldownSchema = new Schema<CooldownDoc>({
  _id: { type: String, required: true },
  until: { type: Date, required: true },
});
// The sweeper deletes the ended ones, which keeps the collection to the last minutes' cancellations.
cooldownSchema.index({ until: 1 });

const ticketCopySchema = new Schema<TicketCopy>({
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  title: String,
  priceCents: Number,
  currency: String,
  sellerId: String,
  status: String,
  reservedUntil: Date,
});

export interface OrdersModels {
  Orders: Model<OrderDoc>;
  /** The orders' collection itself, for createOrder's batched inserts (InsertBatcher). */
  orderDocs: mongo.Collection<OrderDoc>;
  /** Raw collections: the lock is one insertOne, the projection is written by applyInOrder. */
  locks: mongo.Collection<LockDoc>;
  tickets: mongo.Collection<TicketCopy>;
  /** Buyers' active-order slots: one unique-key insert each, like the lock. */
  slots: mongo.Collection<SlotDoc>;
  cooldowns: mongo.Collection<CooldownDoc>;
  /** createOrder's idempotency keys (read by `_id`; expiresAt's TTL index). */
  IdempotencyRecords: Model<IdempotencyRecord>;
}

export function registerModels(connection: Connection): OrdersModels {
  const db = connection.db;
  if (!db) throw new Error('registerModels needs a connected connection');
  connection.model<LockDoc>('Lock', lockSchema, 'locks');
  connection.model<TicketCopy>('TicketCopy', ticketCopySchema, 'ticket_copies');
  connection.model<CooldownDoc>('ReorderCooldown', cooldownSchema, 'reorder_cooldowns');
  return {
    Orders: connection.model<OrderDoc>('Order', orderSchema, 'orders'),
    orderDocs: db.collection<OrderDoc>('orders'),
    locks: db.collection<LockDoc>('locks'),
    tickets: db.collection<TicketCopy>('ticket_copies'),
    slots: db.collection<SlotDoc>('buyer_slots'),
    cooldowns: db.collection<CooldownDoc>('reorder_cooldowns'),
    IdempotencyRecords: registerIdempotencyRecords(connection),
  };
}
