import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { outboxPlugin, type WithOutbox } from '../outbox';

// The outbox and relay tests' aggregates: tickets keyed by a string, listings by an ObjectId (the
// outbox must handle both), each in a database of the test file's own.

/** A ticket as the outbox tests store it; `tags` is there for a `$push` that adds no event. */
export interface OutboxTicket extends WithOutbox {
  _id: string;
  title: string;
  version: number;
  tags?: string[];
}
/** An aggregate keyed by an ObjectId: tests give it a title, a version, or both. */
export interface OutboxListing extends WithOutbox {
  _id: Types.ObjectId;
  title?: string;
  version?: number;
}

/** The tickets' schema with the outbox, for another model of the same shape (a second connection's). */
export function ticketSchema(): Schema<OutboxTicket> {
  const schema = new Schema<OutboxTicket>({ _id: String, title: String, version: Number, tags: [String] });
  schema.plugin(outboxPlugin);
  return schema;
}

export interface OutboxModels {
  /** The test file's database, dropped after its tests. */
  readonly db: Connection;
  readonly Tickets: Model<OutboxTicket>;
  readonly Listings: Model<OutboxListing>;
  /** Where the database is, for a second connection to it. */
  readonly uri: string;
  readonly dbName: string;
}

/**
 * The models on a database of the test file's own, connected before its tests and dropped after
 * them. The returned object stands for them from the file's top level, where they do not exist yet.
 */
export function useOutboxModels(label: string): OutboxModels {
  const uri = process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017';
  const dbName = testDatabaseName(label);
  let opened: { db: Connection; Tickets: Model<OutboxTicket>; Listings: Model<OutboxListing> } | undefined;
  const current = () => {
    if (!opened) throw new Error(`outbox models '${label}' are used outside their tests`);
    return opened;
  };
  beforeAll(async () => {
    const db = await connectMongo({ uri, dbName });
    const Tickets = db.model<OutboxTicket>('Ticket', ticketSchema());
    const listings = new Schema<OutboxListing>({ title: String, version: Number });
    listings.plugin(outboxPlugin);
    opened = { db, Tickets, Listings: db.model<OutboxListing>('Listing', listings) };
    await ensureIndexes(db);
  });
  afterAll(async () => {
    if (!opened) return;
    await opened.db.dropDatabase();
    await opened.db.close();
  });
  return {
    get db() {
      return current().db;
    },
    get Tickets() {
      return current().Tickets;
    },
    get Listings() {
      return current().Listings;
    },
    uri,
    dbName,
  };
}
