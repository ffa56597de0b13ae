import { DiscardPolicy, type JetStreamManager, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** Where events live. Tests pass their own, so runs never share a stream. */
export interface StreamSettings {
  /** Default `TICKETING`. The dead-letter stream is `<name>_DLQ`. */
  name: string;
  /** Default `ticketing`: an event with subject `tickets.updated` is stored on `ticketing.tickets.updated`. */
  subjectPrefix: string;
  /** A retried publish with the same event id inside this window is stored once. Default 10 minutes. */
  duplicateWindowMs?: number;
  /** Events older than this are dropped. Default 30 days. */
  maxAgeMs?: number;
  /** Size cap; the oldest events go first. Default 1 GiB. JetStream reserves it on disk up front. */
  maxBytes?: number;
  /** Size cap of the dead-letter stream, also reserved up front. Default 256 MiB. */
  deadLetterMaxBytes?: number;
}

export const DEFAULT_STREAM: StreamSettings = { name: 'TICKETING', subjectPrefix: 'ticketing' };

const DAY = 24 * 60 * 60 * 1000;

export const subjectFor = (stream: StreamSettings, subject: string) => `${stream.subjectPrefix}.${subject}`;
export const deadLetterStream = (stream: StreamSettings) => `${stream.name}_DLQ`;
export const deadLetterSubject = (stream: StreamSettings, consumer: string) =>
  `${stream.subjectPrefix}-dlq.${consumer}`;

/** Creates or updates the event stream and its dead-letter stream; safe to run at every start. */
export async function ensureStreams(jsm: JetStreamManager, stream: StreamSettings): Promise<void> {
  const common = { storage: StorageType.File, discard: DiscardPolicy.Old, num_replicas: 1 };
  await upsertStream(jsm, {
    ...common,
    name: stream.name,
    subjects: [`${stream.subjectPrefix}.>`],
    duplicate_window: nanos(stream.duplicateWindowMs ?? 10 * 60 * 1000),
    max_age: nanos(stream.maxAgeMs ?? 30 * DAY),
    max_bytes: stream.maxBytes ?? 1024 ** 3,
  });
  await upsertStream(jsm, {
    ...common,
    name: deadLetterStream(stream),
    subjects: [`${stream.subjectPrefix}-dlq.>`],
    max_age: nanos(90 * DAY),
    max_bytes: stream.deadLetterMaxBytes ?? 256 * 1024 ** 2,
  });
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
    return;
  }
  await jsm.streams.update(config.name, config);
}
