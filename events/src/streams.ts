import { DiscardPolicy, type JetStreamManager, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { int, readSettings } from '@ticketing/kit';

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
  /** Copies of each stream, on as many NATS servers of a JetStream cluster. Default 1. */
  replicas?: number;
}

export const DEFAULT_STREAM: StreamSettings = { name: 'TICKETING', subjectPrefix: 'ticketing' };

const DEFAULT_MAX_BYTES = 1024 ** 3;
const DEFAULT_DEAD_LETTER_MAX_BYTES = 256 * 1024 ** 2;

/**
 * The streams' settings from the environment: every service that connects to NATS must get the
 * same values (each one creates or updates the streams at start). Each server holding a copy
 * reserves both size caps on its disk, so they must fit its JetStream budget (max_file_store).
 */
export const streamSettingsSpec = {
  /** Copies of each stream: 3 on a three-node JetStream cluster (one server down loses nothing), 1 on one server. */
  NATS_STREAM_REPLICAS: int({ default: 1, min: 1, max: 5 }),
  /** The event stream's size cap in bytes. Default 1 GiB. */
  NATS_STREAM_MAX_BYTES: int({ default: DEFAULT_MAX_BYTES, min: 1024 ** 2 }),
  /** The dead-letter stream's size cap in bytes. Default 256 MiB. */
  NATS_DLQ_MAX_BYTES: int({ default: DEFAULT_DEAD_LETTER_MAX_BYTES, min: 1024 ** 2 }),
};

/** DEFAULT_STREAM with the sizes and replicas of streamSettingsSpec, read from `env`. */
export function readStreamSettings(env: NodeJS.ProcessEnv = process.env): StreamSettings {
  const s = readSettings(streamSettingsSpec, env);
  return {
    ...DEFAULT_STREAM,
    replicas: s.NATS_STREAM_REPLICAS,
    maxBytes: s.NATS_STREAM_MAX_BYTES,
    deadLetterMaxBytes: s.NATS_DLQ_MAX_BYTES,
  };
}

const DAY = 24 * 60 * 60 * 1000;

export const subjectFor = (stream: StreamSettings, subject: string) => `${stream.subjectPrefix}.${subject}`;
export const deadLetterStream = (stream: StreamSettings) => `${stream.name}_DLQ`;
export const deadLetterSubject = (stream: StreamSettings, consumer: string) =>
  `${stream.subjectPrefix}-dlq.${consumer}`;

/** Creates or updates the event stream and its dead-letter stream; safe to run at every start. */
export async function ensureStreams(jsm: JetStreamManager, stream: StreamSettings): Promise<void> {
  const common = {
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: stream.replicas ?? 1,
  };
  await upsertStream(jsm, {
    ...common,
    name: stream.name,
    subjects: [`${stream.subjectPrefix}.>`],
    duplicate_window: nanos(stream.duplicateWindowMs ?? 10 * 60 * 1000),
    max_age: nanos(stream.maxAgeMs ?? 30 * DAY),
    max_bytes: stream.maxBytes ?? DEFAULT_MAX_BYTES,
  });
  await upsertStream(jsm, {
    ...common,
    name: deadLetterStream(stream),
    subjects: [`${stream.subjectPrefix}-dlq.>`],
    max_age: nanos(90 * DAY),
    max_bytes: stream.deadLetterMaxBytes ?? DEFAULT_DEAD_LETTER_MAX_BYTES,
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
