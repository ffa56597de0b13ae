import type { Connection, Model, Query, Schema, Types, UpdateQuery } from 'mongoose';
import type { DomainEvent } from './defineEvent';

/**
 * The outbox lives inside the aggregate's own document, so "change the aggregate" and "record its
 * event" are one single-document write: atomic on MongoDB and on FerretDB, no transaction needed.
 * The relay (OutboxRelay) publishes entries without ever writing the aggregate back; published ids
 * are kept in a collection of their own, so the service stays the only writer of its documents.
 */
export interface OutboxEntry {
  id: string;
  type: string;
  aggregateVersion: number;
  /** The whole event, as published. */
  event: string;
}

export interface WithOutbox {
  outbox: OutboxEntry[];
  /** When the latest entry was added; the relay scans by it. */
  outboxAt?: Date;
  /**
   * The minute of `outboxAt` (minutes since the epoch): the relay's periodic scan looks documents
   * up by equality on it, which FerretDB serves from an index, where a range on `outboxAt` reads
   * the whole collection. Absent on documents written before it existed.
   */
  outboxMinute?: number;
}

/** The `outboxMinute` of a time. */
export const outboxMinuteOf = (at: Date): number => Math.floor(at.getTime() / 60_000);

/** The scan fields of an outbox write at `at`. */
const stamped = (at: Date) => ({ outboxAt: at, outboxMinute: outboxMinuteOf(at) });

/** How many entries an aggregate keeps once they are published; older published ones are removed. */
export const OUTBOX_KEEP = 50;
/**
 * Entries one write removes at most: an outbox that outgrew the bound (its relay was down, or it
 * was written before trimming existed) shrinks over a few writes, none of them waiting long.
 */
export const OUTBOX_TRIMMED_PER_WRITE = 10;

/** Where relays record the ids of the entries they published (one collection per database). */
export const OUTBOX_PUBLISHED = 'outbox_published';

export function outboxPlugin(schema: Schema): void {
  // The field types document what is stored; untyped (Mixed) fields would store the same values.
  schema.add({
    // Stryker disable next-line ObjectLiteral: equivalent (see above)
    outbox: {
      // Stryker disable next-line ArrayDeclaration,ObjectLiteral: equivalent (see above)
      type: [{ _id: false, id: String, type: { type: String }, aggregateVersion: Number, event: String }],
    },
    // Stryker disable next-line ObjectLiteral: equivalent (see above)
    outboxAt: { type: Date },
    // Stryker disable next-line ObjectLiteral: equivalent (see above)
    outboxMinute: { type: Number },
  });
  schema.index({ outboxAt: 1 });
  schema.index({ outboxMinute: 1 });
  // A new document's entries (`Model.create`), announced once it is stored, as updates are below.
  schema.pre('save', function () {
    this.$locals.outboxInsert = this.isNew;
  });
  schema.post('save', function () {
    const outbox = this.get('outbox') as OutboxEntry[] | undefined;
    if (this.$locals.outboxInsert && outbox?.length) {
      const model = this.constructor as Model<unknown>;
      announceOutboxCommit(model.db, model.collection.collectionName, outbox);
    }
  });
  // After `Model.updateOne(filter, withOutbox(…))`, within the caller's await: a VersionedWriter
  // trims inside its per-aggregate mutex, so this process never trims beside its own next write.
  schema.post<Query<unknown, unknown>>('updateOne', async function (result: unknown) {
    const _id = this.getFilter()._id as AggregateId | undefined;
    // After the cast, an update is always an object here (`{}` when mongoose dropped all of it).
    const pushed = (this.getUpdate() as UpdateQuery<WithOutbox>).$push?.outbox as
      | { $each?: OutboxEntry[] }
      | undefined;
    if (_id === undefined || !pushed) return;
    // The write is done: its relay publishes now, beside the trim instead of after it. Not matched
    // (a conditional update another writer won), its entries were never written.
    if ((result as { matchedCount?: number } | undefined)?.matchedCount === 1) {
      announceOutboxCommit(this.model.db, this.model.collection.collectionName, pushed.$each ?? []);
    }
    if (!mayNeedTrim(this.getUpdate() as UpdateQuery<WithOutbox & { version?: number }>, pushed.$each))
      return;
    // The write itself succeeded, so its caller must not see an error; the next write trims again.
    await trimOutbox(this.model.db, this.model.collection.collectionName, _id).catch(() => undefined);
  });
}

type AggregateId = string | Types.ObjectId;

/**
 * Whether an update's outbox may have grown past OUTBOX_KEEP. An update that moves the version
 * with one entry per version (VersionedWriter's) leaves at most as many entries as versions, so
 * below OUTBOX_KEEP versions there is nothing to trim and no read to find that out; most
 * aggregates never get there. Entries without a version change (a reset request) are checked.
 */
function mayNeedTrim(
  update: UpdateQuery<WithOutbox & { version?: number }>,
  entries: readonly OutboxEntry[] = [],
): boolean {
  const version = update.$set?.version;
  if (typeof version !== 'number' || entries.length !== 1) return true;
  return version > OUTBOX_KEEP;
}
// Stryker disable next-line ObjectLiteral: a projection changes what is read, not what is found
const ID_ONLY = { projection: { _id: 1 } };

/**
 * Removes the oldest entries past OUTBOX_KEEP that a relay recorded as published, oldest first,
 * stopping at the first one not recorded: an entry removed before it is published is an event lost.
 * A second write, not `$slice` in the writer's `$push`: FerretDB ignores `$slice` there (and a
 * `$pull` with a condition), and `$slice` would drop entries without knowing whether they went out.
 */
async function trimOutbox(db: Connection, collectionName: string, _id: AggregateId): Promise<void> {
  const collection = db.collection<{ _id: AggregateId; outbox: { id: string }[] }>(collectionName);
  const over = await collection.findOne(
    { _id, [`outbox.${OUTBOX_KEEP}`]: { $exists: true } },
    // Stryker disable next-line ObjectLiteral: a projection changes what is read, not what is trimmed
    { projection: { 'outbox.id': 1 } },
  );
  if (!over) return;
  const published = db.collection<{ _id: string }>(OUTBOX_PUBLISHED);
  const oldest = over.outbox.slice(0, Math.min(over.outbox.length - OUTBOX_KEEP, OUTBOX_TRIMMED_PER_WRITE));
  for (const { id } of oldest) {
    if (!(await published.findOne({ _id: id }, ID_ONLY))) return;
    // `$pop` (which FerretDB runs), only while that entry is still first: a writer in another
    // replica may be trimming the same outbox, and a second pop would remove the next entry unchecked.
    await collection.updateOne({ _id, 'outbox.0.id': id }, { $pop: { outbox: -1 } });
  }
}

type CommitListener = (db: Connection, collectionName: string, entries: readonly OutboxEntry[]) => void;
const commitListeners = new Set<CommitListener>();

/**
 * Hears this process's writes of outbox entries once they are in the database: mongoose's
 * `updateOne` with `withOutbox` (announced before the outbox is trimmed, so an event's way to its
 * consumers does not wait for that read) and inserts announced by their writer.
 */
export function onOutboxCommit(listener: CommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

/**
 * Says that `entries` are now stored in an aggregate of `collectionName`: called by the
 * `updateOne` hook, and by a writer after inserting a document that carries them (only then: an
 * entry announced before its write is durable could be published for a write that never lands).
 */
export function announceOutboxCommit(
  db: Connection,
  collectionName: string,
  entries: readonly OutboxEntry[],
): void {
  // Plain entries, whatever mongoose cast them to.
  const plain = entries.map(({ id, type, aggregateVersion, event }) => ({
    id,
    type,
    aggregateVersion,
    event,
  }));
  for (const listener of commitListeners) listener(db, collectionName, plain);
}

type WriteListener = (eventId: string, aggregateId: string, eventType: string) => void;
const writeListeners = new Set<WriteListener>();

/**
 * Tells this process's relays which aggregates are about to carry new outbox entries, so a kick
 * looks them up by `_id` (an indexed read everywhere, FerretDB included) instead of scanning.
 */
export function onOutboxWrite(listener: WriteListener): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

function toEntry(event: DomainEvent): OutboxEntry {
  for (const listener of writeListeners) listener(event.id, event.aggregateId, event.type);
  return {
    id: event.id,
    type: event.type,
    aggregateVersion: event.aggregateVersion,
    event: JSON.stringify(event),
  };
}

/** Fields for a new document: `Model.create({ ...fields, ...outboxFields(event) })`. */
export function outboxFields(...events: DomainEvent[]): WithOutbox {
  return { outbox: events.map(toEntry), ...stamped(new Date()) };
}

/** Adds events to an update: `Model.updateOne(filter, withOutbox({ $set: {...} }, event))`. */
export function withOutbox<T>(update: UpdateQuery<T>, ...events: DomainEvent[]): UpdateQuery<T> {
  // Bounded by the trim that follows the update (outboxPlugin), not by `$slice`.
  const push = { outbox: { $each: events.map(toEntry) } };
  return {
    ...update,
    $set: { ...update.$set, ...stamped(new Date()) },
    $push: { ...update.$push, ...push },
  } as UpdateQuery<T>;
}
