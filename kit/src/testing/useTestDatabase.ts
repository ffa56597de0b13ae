import type { Connection } from 'mongoose';
import { connectMongo, ensureIndexes } from '../mongo';
import { testDatabaseName } from './testDatabaseName';

export interface TestDatabase<Models> {
  /** The test file's connection; throws before its beforeAll ran. */
  readonly connection: Connection;
  /** What `register` returned for that connection. */
  readonly models: Models;
}

/**
 * A database of the test file's own on this machine's MongoDB-compatible server (FerretDB
 * locally, MONGO_URI when set), opened as the services open theirs, with `register`'s models
 * and their indexes in place before the first test; dropped after the file. Call it at the top
 * of the file: it registers the file's beforeAll and afterAll.
 */
export function useTestDatabase<Models>(
  label: string,
  register: (connection: Connection) => Models,
): TestDatabase<Models> {
  let opened: { connection: Connection; models: Models } | undefined;
  beforeAll(async () => {
    const connection = await connectMongo({
      uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
      dbName: testDatabaseName(label),
    });
    const models = register(connection);
    await ensureIndexes(connection);
    opened = { connection, models };
  });
  afterAll(async () => {
    await opened?.connection.dropDatabase();
    await opened?.connection.close();
  });
  const current = () => {
    if (!opened) throw new Error(`the test database "${label}" is opened in beforeAll`);
    return opened;
  };
  return {
    get connection() {
      return current().connection;
    },
    get models() {
      return current().models;
    },
  };
}
