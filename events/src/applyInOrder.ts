import type { mongo } from 'mongoose';
import type { DomainEvent } from './defineEvent';
import { checkVersion, RetryLater } from './ordering';

/** A projection document: keyed by the aggregate id, with the version last applied. */
export interface Projected {
  _id: string;
  version: number;
}

export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * Applies an aggregate event to a local projection in version order: version 1 inserts, version n
 * updates only on top of n-1, an older or repeated version is dropped, and a version that came too
 * early throws RetryLater (the consumer redelivers it after a delay). The write goes first and
 * decides in the common case (one command); the version is read only when it did not apply.
 */
export async function applyInOrder<T extends Projected>(
  collection: mongo.Collection<T>,
  event: DomainEvent,
  fields: Omit<T, '_id' | 'version'>,
): Promise<ApplyOutcome> {
  const filter = { _id: event.aggregateId } as mongo.Filter<T>;
  const version = event.aggregateVersion;
  if (version === 1) {
    try {
      const doc = { ...fields, _id: event.aggregateId, version };
      await collection.insertOne(doc as unknown as mongo.OptionalUnlessRequiredId<T>);
      return 'applied';
    } catch (err) {
      // Already there: a redelivery, or a concurrent delivery won.
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  }
  const versioned = { ...filter, version: version - 1 } as mongo.Filter<T>;
  const set = { ...fields, version } as unknown as mongo.MatchKeysAndValues<T>;
  if ((await collection.updateOne(versioned, { $set: set })).matchedCount === 1) return 'applied';
  const current = await collection.findOne(filter, { projection: { version: 1 } });
  const decision = checkVersion(current?.version ?? 0, version);
  if (decision === 'early') {
    throw new RetryLater(
      `${event.type} v${version} of ${event.aggregateId} waits for v${(current?.version ?? 0) + 1}`,
    );
  }
  // 'apply': version n-1 landed between the update and the read; the redelivery applies it.
  if (decision === 'apply')
    throw new RetryLater(`${event.type} v${version} of ${event.aggregateId} raced v${version - 1}`);
  return 'duplicate';
}
