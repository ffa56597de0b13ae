import { KeyedMutex } from '@ticketing/kit';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import type { DomainEvent } from './defineEvent';
import { type WithOutbox, withOutbox } from './outbox';

/** A document the writer can change: an aggregate with a version and an outbox. */
export interface VersionedDoc extends WithOutbox {
  _id: { toString(): string };
  version: number;
}

/** What a decision asks for: fields to set (the writer adds the version) and the events recording it. */
export interface VersionedChange<Doc> {
  set: Partial<Omit<Doc, '_id' | 'version' | 'outbox' | 'outboxAt' | 'outboxMinute'>>;
  /** Built from the document as it is after the change (its new version included). */
  events: (next: Doc) => DomainEvent[];
}

/** A change, null for nothing to do, or an Error for the caller to throw. */
export type Decide<Doc> = (current: Doc) => VersionedChange<Doc> | null | Error;

export interface VersionedWriterOptions<Doc> {
  model: Model<Doc>;
  /** Asks the outbox relay to publish now (after a write that added events). */
  kickOutbox: () => void;
  /** Writes tried before giving up while other writers keep winning. Default 6. */
  maxAttempts?: number;
}

/**
 * The one way an aggregate changes after creation: read it by `_id`, ask a pure decision, and write
 * the new fields, the version bump and the events in one single-document update conditional on the
 * version read (the outbox makes "change" and "record its event" one atomic write). A writer in
 * another replica that won meanwhile makes it read and decide again. Writers of one aggregate in
 * this process are serialised, since FerretDB's updates are not atomic under concurrency.
 */
export class VersionedWriter<Doc extends VersionedDoc> {
  private readonly mutex = new KeyedMutex();
  private readonly maxAttempts: number;

  constructor(private readonly options: VersionedWriterOptions<Doc>) {
    this.maxAttempts = options.maxAttempts ?? 6;
  }

  /**
   * Returns the aggregate as it ends (without its outbox), or null when it does not exist. `read`:
   * the aggregate as the caller read it a moment ago (without its outbox), decided on instead of a
   * first read when that decision is a change: the write is conditional on its version, so a copy
   * gone stale costs one more attempt, never a wrong write. Any other answer (nothing to do, an
   * error) is given only on a fresh read.
   */
  change(id: Doc['_id'], decide: Decide<Doc>, read?: Doc): Promise<Doc | null> {
    return this.mutex.run(id.toString(), async () => {
      const { model } = this.options;
      const fresh = () => model.findById(id, { outbox: 0 }).lean<Doc>();
      let copy = read;
      for (let attempt = 1; ; attempt++) {
        let current = copy ?? (await fresh());
        if (!current) return null;
        let decision = decide(current);
        if (copy && (!decision || decision instanceof Error)) {
          current = await fresh();
          if (!current) return null;
          decision = decide(current);
        }
        copy = undefined;
        if (decision instanceof Error) throw decision;
        if (!decision) return current;
        const next = { ...current, ...decision.set, version: current.version + 1 } as Doc;
        const update = { $set: { ...decision.set, version: next.version } } as UpdateQuery<Doc>;
        const filter = { _id: id, version: current.version } as QueryFilter<Doc>;
        const result = await model.updateOne(filter, withOutbox<Doc>(update, ...decision.events(next)));
        if (result.matchedCount === 1) {
          this.options.kickOutbox();
          return next;
        }
        if (attempt >= this.maxAttempts) {
          throw new Error(
            `${model.modelName} ${id.toString()} keeps changing; gave up after ${attempt} writes`,
          );
        }
      }
    });
  }
}
