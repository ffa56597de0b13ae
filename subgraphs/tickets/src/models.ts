import { outboxPlugin, type TicketStatus, type WithOutbox } from '@ticketing/events';
import { type IdempotencyRecord, registerIdempotencyRecords } from '@ticketing/kit/graphql';
import type { CurrencyCode } from '@ticketing/kit/money';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface TicketDoc extends WithOutbox {
  _id: Types.ObjectId;
  title: string;
  /** Integer minor units of `currency` (cents); the API shows it as Money (and the deprecated Float). */
  priceCents: number;
  /** Absent on tickets listed before prices carried a currency: read as USD (storedCurrency). */
  currency?: CurrencyCode;
  sellerId: string;
  status: TicketStatus;
  reservedUntil: Date | null;
  /** The order holding the reservation (or that bought it). */
  orderId: string | null;
  /** Orders already cancelled or completed: a late OrderCreated of one of them is ignored. */
  closedOrderIds: string[];
  version: number;
  createdAt: Date;
}

const ticketSchema = new Schema<TicketDoc>({
  title: { type: String, required: true },
  priceCents: { type: Number, required: true },
  currency: { type: String },
  sellerId: { type: String, required: true },
  status: { type: String, required: true },
  reservedUntil: { type: Date, default: null },
  orderId: { type: String, default: null },
  closedOrderIds: { type: [String], default: [] },
  version: { type: Number, required: true },
  createdAt: { type: Date, required: true },
});
// The listing (newest first, optionally by status) and a seller's tickets: one index per query path.
ticketSchema.index({ createdAt: -1, _id: -1 });
ticketSchema.index({ status: 1, createdAt: -1, _id: -1 });
ticketSchema.index({ sellerId: 1, createdAt: -1 });
ticketSchema.plugin(outboxPlugin);

export interface TicketsModels {
  Tickets: Model<TicketDoc>;
  /** createTicket's idempotency keys (read by `_id`; expiresAt's TTL index). */
  IdempotencyRecords: Model<IdempotencyRecord>;
}

export function registerModels(connection: Connection): TicketsModels {
  return {
    Tickets: connection.model<TicketDoc>('Ticket', ticketSchema, 'tickets'),
    IdempotencyRecords: registerIdempotencyRecords(connection),
  };
}
