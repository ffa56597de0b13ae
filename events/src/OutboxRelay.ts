import { type Logger, RecencyMap } from '@ticketing/kit';
import { type Connection, type mongo, Types } from 'mongoose';
import type { DomainEvent } from './defineEvent';
import { OUTBOX_PUBLISHED, type OutboxEntry, onOutboxCommit, onOutboxWrite, outboxMinuteOf } from './outbox';
import type { Publisher } from './Publisher';

/** Any mongoose model whose schema uses `outboxPlugin`. */
export interface OutboxSource {
  readonly collection: { readonly collectionName: string };
  readonly db: Connection;
}

export interface OutboxRelayOptions {
  models: OutboxSource[];
  publisher: Pick<Publisher, 'publish'>;
  logger?: Logger;
  /** Retry interval for entries a kick did not find yet. Default 1 000 ms. */
  pollIntervalMs?: number;
  /**
   * Interval of the safety-net scan that finds entries written by a process that died before its
   * relay ran (also run at start): it looks up the minutes since the collection's checkpoint by
   * equality on `outboxMinute`. Default 30 000 ms.
   */
  fullScanIntervalMs?: number;
  /**
   * Each scan re-reads documents changed this long before its checkpoint, covering writes that
   * committed after a later one and clock skew between replicas. Default 60 000 ms.
   */
  lookbackMs?: number;
  /**
   * How often a scan reads by range on `outboxAt` (also at start and after a gap), which finds
   * documents written without `outboxMinute` by a version from before it: the writers of this
   * version set it, and a document of an older one is published by its own relay, so the range is
   * a net for an older replica that died mid-upgrade. On FerretDB it reads every document of the
   * collection, so it runs rarely. Default 3 600 000 ms.
   */
  rangeScanIntervalMs?: number;
  /**
   * Which event types this relay's models carry. Writes are announced to every relay of the
   * process, and one that looked up another service's aggregates (several services in one
   * process, as the test stack and benches run them) would read its collections for ids never
   * there, on every pass. Default: every type.
   */
  carries?: (eventType: string) => boolean;
  /**
   * How long a write this process announced (`onOutboxWrite`) may stay unconfirmed before a kick
   * reads its aggregate back. Writes that announce their commit (`onOutboxCommit`: mongoose's
   * `updateOne` with `withOutbox`, `create`, orders' batched insert) are published without that
   * read; under a burst, reading back every write still in flight doubled the reads. Default 500 ms.
   */
  readBackAfterMs?: number;
}

interface Written {
  aggregateId: string;
  misses: number;
  /** When the write was announced (performance.now()). */
  at: number;
  /** Set once the write is stored: the entry as written, and where. */
  stored?: { db: Connection; entry: OutboxEntry };
  /** Set when a pass looked at it stored and it was not next in line (another write before it). */
  seenStored?: boolean;
}

interface OutboxDoc {
  _id: string | Types.ObjectId;
  outbox?: OutboxEntry[];
  outboxAt?: Date;
}

const CHECKPOINTS = 'outbox_checkpoints';
const RECENT_KEPT = 10_000;

/**
 * Publishes what writers put in their documents' outboxes: at least once, in version order per
 * aggregate, and exactly once in the stream (JetStream dedupes on the event id). It never writes
 * the aggregate documents; what it published is recorded in `outbox_published`.
 */
export class OutboxRelay {
  // Stryker disable next-line ArrayDeclaration: a bogus first timer is ignored by clearInterval
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  // Stryker disable next-line BooleanLiteral: drain resets it before reading it
  private again = false;
  private stopped = false;
  private fullScanDue = true;
  /** Set by `kick`: the next pass reads back every write not yet published, however recent. */
  private readBackAll = false;
  /**
   * Entries written in this process and not yet seen published: event id → aggregate id, and the
   * entry itself once its write is known to be stored (onOutboxCommit).
   */
  private readonly written = new Map<string, Written>();
  /** When each collection was last scanned by range (performance.now()); see scan. */
  private readonly rangeScannedAt = new Map<string, number>();
  /** The highest version of an aggregate this relay published (insertion order, bounded). */
  private readonly publishedUpTo = new RecencyMap<string, number>(RECENT_KEPT);
  /** Ids this relay saw published lately (insertion order, bounded), so a kick rarely reads `outbox_published`. */
  private readonly recent = new RecencyMap<string, true>(RECENT_KEPT);
  private readonly unsubscribe: () => void;
  /** Set by start: a relay only built (a test's, flushed by hand) is not kicked by commits. */
  private unsubscribeCommits: () => void = () => undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    const carries = options.carries ?? (() => true);
    this.unsubscribe = onOutboxWrite((eventId, aggregateId, eventType) => {
      if (carries(eventType)) this.written.set(eventId, { aggregateId, misses: 0, at: performance.now() });
    });
  }

  /**
   * Scans once for what is pending now, then publishes on kicks (its own process's committed
   * outbox updates kick it too), retries and safety-net scans.
   */
  start(): this {
    const { models } = this.options;
    this.unsubscribeCommits = onOutboxCommit((db, collectionName, entries) => {
      if (!models.some((m) => m.db === db && m.collection.collectionName === collectionName)) return;
      for (const entry of entries) {
        const w = this.written.get(entry.id);
        if (w) w.stored = { db, entry };
      }
      this.schedule();
    });
    this.kick();
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.timers.push(timer);
    };
    // A pass with nothing written and no full scan due does no I/O.
    every(this.options.pollIntervalMs ?? 1_000, () => this.schedule());
    every(this.options.fullScanIntervalMs ?? 30_000, () => {
      this.fullScanDue = true;
      this.schedule();
    });
    return this;
  }

  /**
   * Publishes what this process just wrote, reading back every aggregate written and not yet
   * published (a writer without a commit hook says so); passes never overlap, and kicks during one
   * coalesce into one more.
   */
  kick(): void {
    this.readBackAll = true;
    this.schedule();
  }

  /** A pass for announced commits, polls and scans: reads back only writes unconfirmed for a while. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Runs one full scan and resolves when it is done (tests, and shutdown). */
  async flush(): Promise<void> {
    await this.running;
    await this.scanAll();
  }

  /** Stops scanning after the scan in progress. Safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    this.unsubscribeCommits();
    await this.running;
  }

  private async drain() {
    do {
      this.again = false;
      const full = this.fullScanDue;
      try {
        if (full) {
          this.fullScanDue = false;
          await this.scanAll();
        } else {
          await this.publishWritten();
        }
      } catch (err) {
        // A failed scan (NATS or the database down) is retried at the next poll, not a full interval later.
        if (full) this.fullScanDue = true;
        this.options.logger?.warn({ err }, 'outbox scan failed; retrying on the next one');
        return;
      }
    } while (this.again && !this.stopped);
  }

  private async scanAll() {
    for (const model of this.options.models) await this.scan(model);
  }

  /**
   * The aggregates this process wrote, each read by `_id` equality: FerretDB serves that from the
   * primary key, while one `{_id: {$in: ids}}` reads the whole collection (about 20 µs a document,
   * on every kick: 0.2 s at 10,000 documents, seconds on a busy machine; issue 13).
   */
  private async publishWritten() {
    for (const [db, docs] of this.knownInOrder()) {
      await this.publishPending(db, docs, new Set(docs.flatMap(outboxOf).map((e) => e.id)));
      for (const entry of docs.flatMap(outboxOf)) this.written.delete(entry.id);
    }
    if (this.stopped) return;
    // Writes still in flight announce their commit soon (and kick again): only those unconfirmed
    // for a while are read back, in case their writer has no commit hook.
    const due = this.readBackAll
      ? Number.POSITIVE_INFINITY
      : performance.now() - (this.options.readBackAfterMs ?? 500);
    this.readBackAll = false;
    // Stored entries this pass did not see yet (their commit came during it) wait for the next one.
    const unconfirmed = [...this.written.values()].filter((w) => w.at <= due && (!w.stored || w.seenStored));
    const ids = [...new Set(unconfirmed.map((w) => w.aggregateId))];
    for (const model of this.options.models) {
      const collection = model.db.collection<OutboxDoc>(model.collection.collectionName);
      const docs = (await inChunks(ids, READS_AT_ONCE, (id) => findAggregate(collection, id))).filter(
        (doc): doc is OutboxDoc => doc !== null,
      );
      await this.publishPending(model.db, docs, await this.pendingOfKick(model.db, docs));
      for (const entry of docs.flatMap(outboxOf)) this.written.delete(entry.id);
    }
    // Not there yet (the write is still in flight), or kept elsewhere: retried, then left to the full scan.
    for (const w of unconfirmed) w.misses++;
    for (const [id, w] of this.written) if (w.misses > 20) this.written.delete(id);
  }

  /**
   * Publishes what is pending in the documents changed since the collection's checkpoint (less the
   * look-back). By minute, each looked up by equality on `outboxMinute` (an index lookup on
   * FerretDB too), when the span is a few minutes; by a range on `outboxAt` (a whole-collection
   * read on FerretDB) at start, every `rangeScanIntervalMs`, and after a long gap: the range also
   * finds documents written without `outboxMinute` (by a version before it).
   */
  private async scan(model: OutboxSource) {
    const db = model.db;
    const name = model.collection.collectionName;
    const checkpoints = db.collection<{ _id: string; at: Date }>(CHECKPOINTS);
    const checkpoint = (await checkpoints.findOne({ _id: name }))?.at ?? new Date(0);
    const lookbackMs = this.options.lookbackMs ?? 60_000;
    const since = new Date(checkpoint.getTime() - lookbackMs);
    const startedAt = new Date();
    const collection = db.collection<OutboxDoc & { outboxAt: Date }>(name);
    const minutes = minutesFrom(since, startedAt);
    const rangeDue =
      performance.now() - (this.rangeScannedAt.get(name) ?? Number.NEGATIVE_INFINITY) >=
      (this.options.rangeScanIntervalMs ?? 3_600_000);
    if (rangeDue || !minutes) this.rangeScannedAt.set(name, performance.now());
    const filters =
      rangeDue || !minutes
        ? [{ outboxAt: { $gte: since } }]
        : minutes.map((outboxMinute) => ({ outboxMinute, outboxAt: { $gte: since } }));

    // A quiet collection's checkpoint moves on too (to the look-back before this scan, which the
    // next one reads again), so its next scans stay a few minutes long.
    let latest = new Date(Math.max(checkpoint.getTime(), startedAt.getTime() - lookbackMs));
    for (const filter of filters) {
      const cursor = collection.find(filter, SCANNED).batchSize(200);
      // Batches of 200 bound what a scan holds in memory; published and recorded the same either way.
      // Stryker disable next-line ArrayDeclaration: a bogus first element has no outbox
      let batch: OutboxDoc[] = [];
      for await (const doc of cursor) {
        batch.push(doc);
        if (doc.outboxAt > latest) latest = doc.outboxAt;
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: batching, see above
        if (batch.length === 200) {
          await this.publishPending(db, batch);
          // Stryker disable next-line ArrayDeclaration: a bogus first element has no outbox
          batch = [];
        }
      }
      await this.publishPending(db, batch);
    }
    if (latest > checkpoint)
      await checkpoints.updateOne({ _id: name }, { $set: { at: latest } }, { upsert: true });
  }

  /**
   * What a kick publishes: the entries this process wrote (known unpublished, so no look-up; a
   * duplicate is dropped by JetStream's window anyway), and before them any older entry of the same
   * aggregate still unpublished (written by a replica whose relay has not run yet), so a version
   * never goes out ahead of the one before it.
   */
  private async pendingOfKick(db: Connection, docs: OutboxDoc[]): Promise<Set<string>> {
    const pending = new Set<string>();
    for (const doc of docs) {
      const outbox = outboxOf(doc);
      const mine = outbox.filter((e) => this.written.has(e.id));
      if (!mine.length) continue;
      for (const e of mine) pending.add(e.id);
      const first = Math.min(...mine.map((e) => e.aggregateVersion));
      const older = outbox.filter((e) => e.aggregateVersion < first);
      const done = await this.publishedAmong(db, [{ _id: doc._id, outbox: older }]);
      for (const e of older) if (!done.has(e.id)) pending.add(e.id);
    }
    return pending;
  }

  /**
   * The entries known stored that are next in line: from a new aggregate's version 1, or right
   * after the version this relay published last, as far as they run without a gap. They go out as
   * announced, without reading the aggregate back. An entry announced but not (yet) stored does not
   * hold back the ones before it (a lost conditional update's never will be); one after a gap waits
   * for the gap's own announcement, or for the read-back way, which finds older entries still
   * pending (another replica's write, say).
   */
  private knownInOrder(): Map<Connection, OutboxDoc[]> {
    const byAggregate = new Map<string, { db: Connection; entries: OutboxEntry[]; mixed: boolean }>();
    for (const w of this.written.values()) {
      if (!w.stored) continue;
      w.seenStored = true;
      const a = byAggregate.get(w.aggregateId) ?? { db: w.stored.db, entries: [], mixed: false };
      byAggregate.set(w.aggregateId, a);
      if (a.db !== w.stored.db) a.mixed = true;
      a.entries.push(w.stored.entry);
    }
    const known = new Map<Connection, OutboxDoc[]>();
    for (const [aggregateId, { db, entries, mixed }] of byAggregate) {
      if (mixed) continue;
      let next = (this.publishedUpTo.peek(aggregateId) ?? 0) + 1;
      const run: OutboxEntry[] = [];
      for (const entry of entries.sort(byVersion)) {
        if (entry.aggregateVersion !== next && !(run.length === 0 && entry.aggregateVersion === 1)) break;
        run.push(entry);
        next = entry.aggregateVersion + 1;
      }
      if (run.length) known.set(db, [...(known.get(db) ?? []), { _id: aggregateId, outbox: run }]);
    }
    return known;
  }

  private remember(id: string) {
    this.recent.set(id, true);
  }

  /**
   * Publishes the docs' unpublished entries in version order, then records them. `only` (the kick
   * path) limits it to entries already known to be unpublished.
   */
  private async publishPending(db: Connection, docs: OutboxDoc[], only?: ReadonlySet<string>) {
    const published = db.collection<{ _id: string; at: Date }>(OUTBOX_PUBLISHED);
    const done = only ? new Set<string>() : await this.publishedAmong(db, docs);
    const marks: { _id: string; at: Date }[] = [];
    for (const doc of docs) {
      const pending = outboxOf(doc).filter((e) => (!only || only.has(e.id)) && !done.has(e.id));
      pending.sort(byVersion);
      for (const entry of pending) {
        await this.options.publisher.publish(JSON.parse(entry.event) as DomainEvent);
        marks.push({ _id: entry.id, at: new Date() });
        this.publishedUpTo.set(doc._id.toString(), entry.aggregateVersion);
      }
    }
    if (!marks.length) return;
    await published
      .insertMany(marks, { ordered: false })
      .catch((err: { code?: number; writeErrors?: { code?: number }[] }) => {
        // Another relay replica recorded some first: fine when that is all that went wrong.
        if (!(err.writeErrors ?? [err]).every((e) => e.code === 11000)) throw err;
      });
    // Known recorded from here on: scans and kicks skip their look-ups.
    for (const mark of marks) this.remember(mark._id);
  }

  /**
   * Which of the docs' entries are recorded as published. Entries go out in version order, so an
   * aggregate's entry recorded as published vouches for every older one: each doc's entries are
   * looked at newest first, by what this relay recorded lately, else by `_id` in
   * `outbox_published` (equality: FerretDB serves it from the index, an `$in` reads the
   * collection), until one is known. A scan so reads at most one record per document whose
   * entries are all out, however long its outbox, where it read one per entry once the relay's
   * memory of recent ids (RECENT_KEPT) was full.
   */
  private async publishedAmong(db: Connection, docs: OutboxDoc[]): Promise<Set<string>> {
    const done = new Set<string>();
    const published = db.collection<{ _id: string }>(OUTBOX_PUBLISHED);
    let open = docs.map((doc) => [...outboxOf(doc)].sort(byVersion).reverse());
    while (open.length) {
      const unknown = open.filter(([newest]) => newest && !this.recent.has(newest.id));
      const found = await inChunks(unknown, READS_AT_ONCE, ([newest]) =>
        published.findOne({ _id: newest?.id ?? '' }, ID_ONLY),
      );
      const recorded = new Set(found.flatMap((record) => (record ? [record._id] : [])));
      for (const id of recorded) this.remember(id);
      open = open.flatMap(([newest, ...rest]) => {
        if (!newest) return [];
        if (!recorded.has(newest.id) && !this.recent.has(newest.id)) return [rest];
        // It vouches for the entries of lower versions; not for those of its own version (added
        // without a version change), which are not ordered by it.
        done.add(newest.id);
        for (const e of rest) if (e.aggregateVersion < newest.aggregateVersion) done.add(e.id);
        const sameVersion = rest.filter((e) => e.aggregateVersion === newest.aggregateVersion);
        return sameVersion.length ? [sameVersion] : [];
      });
    }
    return done;
  }
}

/** A span of more minutes than this is scanned by range. */
const MINUTES_SCANNED_AT_MOST = 10;

/** The `outboxMinute`s from `since` to `until`, both included; undefined past MINUTES_SCANNED_AT_MOST. */
function minutesFrom(since: Date, until: Date): number[] | undefined {
  const first = outboxMinuteOf(since);
  const count = Math.max(0, outboxMinuteOf(until) - first + 1);
  if (count > MINUTES_SCANNED_AT_MOST) return undefined;
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Lookups in flight at once per pass, so a burst of writes does not take the whole connection pool. */
const READS_AT_ONCE = 32;

// Stryker disable next-line ObjectLiteral: a projection changes what is read, not what is found
const ID_ONLY = { projection: { _id: 1 } };
// Stryker disable next-line ObjectLiteral: a projection changes what is read, not what is published
const OUTBOX_ONLY = { projection: { outbox: 1 } };
// Stryker disable next-line ObjectLiteral: a projection changes what is read, not what is published
const SCANNED = { projection: { outbox: 1, outboxAt: 1 } };

/** A document's outbox; none on one an operator emptied by unsetting it. */
const outboxOf = (doc: OutboxDoc): OutboxEntry[] => doc.outbox ?? [];
const byVersion = (a: OutboxEntry, b: OutboxEntry) => a.aggregateVersion - b.aggregateVersion;

/** An aggregate by its id as events carry it: an ObjectId when it looks like one, else the string. */
async function findAggregate(collection: mongo.Collection<OutboxDoc>, id: string): Promise<OutboxDoc | null> {
  if (/^[0-9a-f]{24}$/i.test(id)) {
    const doc = await collection.findOne({ _id: new Types.ObjectId(id) }, OUTBOX_ONLY);
    if (doc) return doc;
  }
  return collection.findOne({ _id: id }, OUTBOX_ONLY);
}

/** `map` over `items`, at most `limit` calls in flight, results in order. */
async function inChunks<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  // Stryker disable next-line ArrayDeclaration: both callers pass over a bogus result (no outbox, no _id)
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map(map))));
  }
  return results;
}
