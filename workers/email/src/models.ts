import type { CurrencyCode } from '@ticketing/kit/money';
import { type Connection, type Model, Schema } from 'mongoose';

/** What mail needs of an account: its address, as of its latest version seen. */
export interface MailUser {
  _id: string;
  email: string;
  version: number;
}

export interface MailTicket {
  _id: string;
  title: string;
  priceCents: number;
  /** Absent on tickets projected before events carried it: USD. */
  currency?: CurrencyCode;
  version: number;
}

export interface MailOrder {
  _id: string;
  ticketId: string;
  buyerId: string;
  /** The price the receipt shows: minor units (cents) of `currency`. */
  priceCents: number;
  /** Absent on orders projected before events carried it: USD. */
  currency?: CurrencyCode;
}

/**
 * One per event that sends mail, keyed by the event's id: `sending` while a worker holds it (until
 * `leaseUntil`), then `sent`. A delivery that finds `sent` sends nothing.
 */
export interface SentMail {
  _id: string;
  state: 'sending' | 'sent';
  leaseUntil: Date;
  type: string;
  sentAt?: Date;
}

export interface EmailModels {
  Users: Model<MailUser>;
  Tickets: Model<MailTicket>;
  Orders: Model<MailOrder>;
  SentMails: Model<SentMail>;
}

const user = new Schema<MailUser>({ _id: String, email: String, version: Number }, { versionKey: false });
const ticket = new Schema<MailTicket>(
  { _id: String, title: String, priceCents: Number, currency: String, version: Number },
  { versionKey: false },
);
const order = new Schema<MailOrder>(
  { _id: String, ticketId: String, buyerId: String, priceCents: Number, currency: String },
  { versionKey: false },
);
const sent = new Schema<SentMail>(
  { _id: String, state: String, leaseUntil: Date, type: String, sentAt: Date },
  { versionKey: false },
);

export function registerModels(connection: Connection): EmailModels {
  return {
    Users: connection.model<MailUser>('MailUser', user, 'users'),
    Tickets: connection.model<MailTicket>('MailTicket', ticket, 'tickets'),
    Orders: connection.model<MailOrder>('MailOrder', order, 'orders'),
    SentMails: connection.model<SentMail>('SentMail', sent, 'sentmails'),
  };
}
