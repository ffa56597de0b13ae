import mongoose, { type Connection, type Query, type Schema } from 'mongoose';

export interface MongoOptions {
  /** Server URI; the database name comes from `dbName`, not from the URI's path. */
  uri: string;
  /** One database per service (and per test file). */
  dbName: string;
  /** How long to wait for a server before failing. Default 5 000 ms. */
  serverSelectionTimeoutMS?: number;
  /** Connection pool size. Default 20. */
  maxPoolSize?: number;
  /**
   * The server stops a read (find, count, aggregate) after this long; a query may set its own.
   * Default DEFAULT_MAX_TIME_MS. 0: no limit.
   */
  maxTimeMS?: number;
}

/**
 * A read running longer than this is stopped by the server: a request the gateway gave up on
 * (its deadline is 10 s) leaves no read running behind it for minutes.
 */
export const DEFAULT_MAX_TIME_MS = 5_000;

/**
 * A dedicated mongoose connection (not the global one), so a process may hold several and tests
 * can open one per database. Indexes are created explicitly by `ensureIndexes`, never implicitly.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const { uri, dbName, serverSelectionTimeoutMS = 5_000, maxPoolSize = 20 } = options;
  const maxTimeMS = options.maxTimeMS ?? DEFAULT_MAX_TIME_MS;
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS,
    maxPoolSize,
    autoIndex: false,
    autoCreate: true,
  });
  // Before any model is compiled on the connection: plugins apply to models created after them.
  if (maxTimeMS > 0) connection.plugin((schema: Schema) => boundReads(schema, maxTimeMS));
  await connection.asPromise();
  return connection;
}

const READS: Array<'find' | 'findOne' | 'countDocuments' | 'estimatedDocumentCount' | 'distinct'> = [
  'find',
  'findOne',
  'countDocuments',
  'estimatedDocumentCount',
  'distinct',
];

/** Every read of the schema's model gets `maxTimeMS` unless the query set its own. */
function boundReads(schema: Schema, maxTimeMS: number): void {
  schema.pre(READS, function (this: Query<unknown, unknown>) {
    if (this.getOptions().maxTimeMS === undefined) this.maxTimeMS(maxTimeMS);
  });
  schema.pre('aggregate', function () {
    if (this.options.maxTimeMS === undefined) this.option({ maxTimeMS });
  });
}

/**
 * Creates every index that the connection's models declare. Run at start: exclusivity in this
 * codebase rests on unique indexes, so a service must not serve before they exist.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    await model.createIndexes().catch(async (err: { codeName?: string }) => {
      if (err.codeName !== 'NotImplemented') throw err;
      // FerretDB v1 has no TTL index ("expireAfterSeconds is not implemented"): the same keys
      // without it, and the service deletes what has expired itself (see IdempotencyKeys).
      for (const [fields, options] of model.schema.indexes()) {
        const { expireAfterSeconds: _ttl, ...rest } = options as { expireAfterSeconds?: number };
        await model.collection.createIndex(fields as Record<string, 1 | -1>, rest);
      }
    });
  }
}

/** True for a unique-index violation (E11000), on MongoDB and FerretDB alike. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
