import mongoose, { type Connection, type mongo } from 'mongoose';
import { testDatabaseName } from './testDatabaseName';

export interface MonitoredConnection {
  /** The test file's connection (its own database, dropped after the file). */
  connection(): Connection;
  /** How many `commandName` commands (insert, find, …) the driver sent while `work` ran. */
  commandsSent(commandName: string, work: () => Promise<unknown>): Promise<number>;
}

/**
 * A connection to this machine's MongoDB-compatible server (FerretDB locally) on a database of the
 * test file's own, with the driver's command monitoring on, for tests that count what is sent.
 */
export function useMonitoredConnection(label: string): MonitoredConnection {
  let connection: Connection | undefined;
  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017', {
        dbName: testDatabaseName(label),
        monitorCommands: true,
      })
      .asPromise();
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });
  const current = () => {
    if (!connection) throw new Error('connection not ready');
    return connection;
  };
  return {
    connection: current,
    async commandsSent(commandName, work) {
      let count = 0;
      const client = current().getClient();
      const seen = (event: mongo.CommandStartedEvent) => {
        if (event.commandName === commandName) count++;
      };
      client.on('commandStarted', seen);
      try {
        await work();
      } finally {
        client.off('commandStarted', seen);
      }
      return count;
    },
  };
}
