import type { mongo } from 'mongoose';

export interface FindByIdBatcherOptions {
  /** At most this many ids in one `find`. Default 200. */
  maxBatch?: number;
}

interface Pending<T> {
  id: string;
  resolve: (doc: mongo.WithId<T> | null) => void;
  reject: (err: unknown) => void;
}

/**
 * Group reads by string `_id`: while one read is on its way to the database, the ids asked for
 * meanwhile wait and then go together in one `find({ _id: { $in } })`. An idle caller pays nothing
 * (its `findOne` goes at once, alone); under load N concurrent reads cost a few commands.
 *
 * For small collections only where FerretDB serves the data: there an `$in` reads the whole
 * collection (about 20 µs a document), which is cheaper than N commands (about 1.5 ms of CPU each
 * across the driver, FerretDB and PostgreSQL) only while the collection stays small. On MongoDB
 * it is an index lookup at any size.
 */
export class FindByIdBatcher<T extends { _id: string }> {
  private readonly maxBatch: number;
  private readonly queue: Pending<T>[] = [];
  private inFlight = false;

  constructor(
    private readonly collection: mongo.Collection<T>,
    options: FindByIdBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
  }

  /** The document with this `_id`, or null; rejects with the read's error. */
  findById(id: string): Promise<mongo.WithId<T> | null> {
    return new Promise<mongo.WithId<T> | null>((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) await this.read(this.queue.splice(0, this.maxBatch));
    this.inFlight = false;
  }

  private async read(batch: Pending<T>[]): Promise<void> {
    const ids = [...new Set(batch.map((p) => p.id))];
    try {
      // One id: plain equality, which FerretDB serves from the primary key.
      const filter = ids.length === 1 ? { _id: ids[0] } : { _id: { $in: ids } };
      const docs = await this.collection.find(filter as mongo.Filter<T>).toArray();
      const byId = new Map(docs.map((d) => [String(d._id), d]));
      for (const p of batch) p.resolve(byId.get(p.id) ?? null);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
