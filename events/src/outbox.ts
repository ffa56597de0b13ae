import type { Schema, UpdateQuery } from 'mongoose';
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
}

/** How many entries an aggregate keeps; older ones are long published (the relay runs beside the writer). */
export const OUTBOX_KEEP = 50;

export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: {
      type: [{ _id: false, id: String, type: { type: String }, aggregateVersion: Number, event: String }],
    },
    outboxAt: { type: Date },
  });
  schema.index({ outboxAt: 1 });
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
  return { outbox: events.map(toEntry), outboxAt: new Date() };
}

/** Adds events to an update: `Model.updateOne(filter, withOutbox({ $set: {...} }, event))`. */
export function withOutbox<T>(update: UpdateQuery<T>, ...events: DomainEvent[]): UpdateQuery<T> {
  const push = { outbox: { $each: events.map(toEntry), $slice: -OUTBOX_KEEP } };
  return {
    ...update,
    $set: { ...update.$set, outboxAt: new Date() },
    $push: { ...update.$push, ...push },
  } as UpdateQuery<T>;
}
