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
 * early throws RetryLater (the consumer redelivers it after a delay).
 */
export async function applyInOrder<T extends Projected>(
  collection: mongo.Collection<T>,
  event: DomainEvent,
  fields: Omit<T, '_id' | 'version'>,
): Promise<ApplyOutcome> {
  const filter = { _id: event.aggregateId } as mongo.Filter<T>;
  const current = await collection.findOne(filter, { projection: { version: 1 } });
  const decision = checkVersion(current?.version ?? 0, event.aggregateVersion);
  if (decision === 'duplicate') return 'duplicate';
  if (decision === 'early') {
    throw new RetryLater(
      `${event.type} v${event.aggregateVersion} of ${event.aggregateId} waits for v${(current?.version ?? 0) + 1}`,
    );
  }
  if (!current) {
    try {
      const doc = { ...fields, _id: event.aggregateId, version: event.aggregateVersion };
      await collection.insertOne(doc as unknown as mongo.OptionalUnlessRequiredId<T>);
      return 'applied';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate'; // a concurrent delivery won
      throw err;
    }
  }
  const versioned = { ...filter, version: event.aggregateVersion - 1 } as mongo.Filter<T>;
  const set = { ...fields, version: event.aggregateVersion } as unknown as mongo.MatchKeysAndValues<T>;
  const result = await collection.updateOne(versioned, { $set: set });
  return result.matchedCount === 1 ? 'applied' : 'duplicate';
}
