import type { Logger } from '@ticketing/kit';
import type { Connection } from 'mongoose';
import type { DomainEvent } from './defineEvent';
import type { OutboxEntry } from './outbox';
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
  /** Safety-net scan interval; writers call `kick()` for immediate publishing. Default 1 000 ms. */
  pollIntervalMs?: number;
  /**
   * Each scan re-reads documents changed this long before its checkpoint, covering writes that
   * committed after a later one and clock skew between replicas. Default 60 000 ms.
   */
  lookbackMs?: number;
}

interface OutboxDoc {
  _id: unknown;
  outbox?: OutboxEntry[];
  outboxAt?: Date;
}

const PUBLISHED = 'outbox_published';
const CHECKPOINTS = 'outbox_checkpoints';

/**
 * Publishes what writers put in their documents' outboxes: at least once, in version order per
 * aggregate, and exactly once in the stream (JetStream dedupes on the event id). It never writes
 * the aggregate documents; what it published is recorded in `outbox_published`.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Publishes what is pending now, then keeps scanning on the interval. */
  start(): this {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs ?? 1_000);
    this.timer.unref();
    return this;
  }

  /** Asks for a scan soon; scans never overlap, and kicks during one coalesce into one more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Runs one scan and resolves when it is done (tests, and shutdown). */
  async flush(): Promise<void> {
    await this.running;
    await this.scanAll();
  }

  /** Stops scanning after the scan in progress. Safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain() {
    do {
      this.again = false;
      try {
        await this.scanAll();
      } catch (err) {
        this.options.logger?.warn({ err }, 'outbox scan failed; retrying on the next one');
        return;
      }
    } while (this.again && !this.stopped);
  }

  private async scanAll() {
    for (const model of this.options.models) await this.scan(model);
  }

  private async scan(model: OutboxSource) {
    const db = model.db;
    const name = model.collection.collectionName;
    const checkpoints = db.collection<{ _id: string; at: Date }>(CHECKPOINTS);
    const checkpoint = (await checkpoints.findOne({ _id: name }))?.at ?? new Date(0);
    const since = new Date(checkpoint.getTime() - (this.options.lookbackMs ?? 60_000));

    let latest = checkpoint;
    const cursor = db
      .collection<OutboxDoc>(name)
      .find({ outboxAt: { $gte: since } }, { projection: { outbox: 1, outboxAt: 1 } })
      .sort({ outboxAt: 1 })
      .batchSize(200);
    let batch: OutboxDoc[] = [];
    for await (const doc of cursor) {
      batch.push(doc);
      if (doc.outboxAt && doc.outboxAt > latest) latest = doc.outboxAt;
      if (batch.length === 200) {
        await this.publishPending(db, batch);
        batch = [];
      }
    }
    await this.publishPending(db, batch);
    if (latest > checkpoint)
      await checkpoints.updateOne({ _id: name }, { $set: { at: latest } }, { upsert: true });
  }

  private async publishPending(db: Connection, docs: OutboxDoc[]) {
    const entries = docs.flatMap((d) => d.outbox ?? []);
    if (!entries.length) return;
    const published = db.collection<{ _id: string; at: Date }>(PUBLISHED);
    const done = new Set(
      (
        await published.find({ _id: { $in: entries.map((e) => e.id) } }, { projection: { _id: 1 } }).toArray()
      ).map((p) => p._id),
    );
    for (const doc of docs) {
      const pending = (doc.outbox ?? []).filter((e) => !done.has(e.id));
      pending.sort((a, b) => a.aggregateVersion - b.aggregateVersion);
      for (const entry of pending) {
        await this.options.publisher.publish(JSON.parse(entry.event) as DomainEvent);
        await published.insertOne({ _id: entry.id, at: new Date() }).catch((err: { code?: number }) => {
          if (err.code !== 11000) throw err; // another relay replica marked it first
        });
      }
    }
  }
}
