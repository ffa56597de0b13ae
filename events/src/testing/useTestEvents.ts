import { connectEvents, type EventsConnection } from '../connectEvents';
import { dropTestStreams, testStream } from './testStream';

export const natsUrl = () => process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A connection on a stream of the test file's own, dropped afterwards. */
export function useTestEvents(label: string): () => EventsConnection {
  let connection: EventsConnection | undefined;
  beforeAll(async () => {
    connection = await connectEvents({ url: natsUrl(), stream: testStream(label) });
  });
  afterAll(async () => {
    if (!connection) return;
    await dropTestStreams(connection);
    await connection.close();
  });
  return () => {
    if (!connection) throw new Error('events connection not ready');
    return connection;
  };
}
