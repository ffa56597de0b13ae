import mongoose, { type Connection } from 'mongoose';

export interface MongoOptions {
  /** Server URI; the database name comes from `dbName`, not from the URI's path. */
  uri: string;
  /** One database per service (and per test file). */
  dbName: string;
  /** How long to wait for a server before failing. Default 5 000 ms. */
  serverSelectionTimeoutMS?: number;
  /** Connection pool size. Default 20. */
  maxPoolSize?: number;
}

/**
 * A dedicated mongoose connection (not the global one), so a process may hold several and tests
 * can open one per database. Indexes are created explicitly by `ensureIndexes`, never implicitly.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const { uri, dbName, serverSelectionTimeoutMS = 5_000, maxPoolSize = 20 } = options;
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS,
    maxPoolSize,
    autoIndex: false,
    autoCreate: true,
  });
  await connection.asPromise();
  return connection;
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
    await model.createIndexes();
  }
}

/** True for a unique-index violation (E11000), on MongoDB and FerretDB alike. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
