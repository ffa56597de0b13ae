import { randomBytes } from 'node:crypto';
import type { StreamSettings } from '../streams';

/**
 * A stream of its own for one test file, so test runs never see each other's events. Small caps:
 * JetStream reserves a stream's max_bytes on disk when it is created, and many test files (and a
 * leaked stream of a killed run) hold streams at once.
 */
export function testStream(label: string): StreamSettings {
  const suffix = `${label.replace(/[^a-z0-9]+/gi, '_')}_${randomBytes(4).toString('hex')}`;
  return {
    name: `TEST_${suffix}`.toUpperCase(),
    subjectPrefix: `test_${suffix}`.toLowerCase(),
    maxAgeMs: 60 * 60 * 1000,
    maxBytes: 64 * 1024 ** 2,
    deadLetterMaxBytes: 8 * 1024 ** 2,
  };
}

/** Removes a test stream and its dead-letter stream. */
export async function dropTestStreams(connection: {
  jsm: { streams: { delete(name: string): Promise<boolean> } };
  stream: StreamSettings;
}): Promise<void> {
  for (const name of [connection.stream.name, `${connection.stream.name}_DLQ`]) {
    await connection.jsm.streams.delete(name).catch(() => false);
  }
}
