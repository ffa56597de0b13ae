import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { deadLetterStream, deadLetterSubject, type StreamSettings } from './streams';

/** A message a consumer gave up on, with why. */
export interface ParkedEvent {
  /** Sequence in the dead-letter stream (what `replay` takes). */
  seq: number;
  consumer: string;
  reason: string;
  /** The subject and stream sequence it had. */
  subject: string;
  streamSeq: number;
  deliveryCount: number;
  parkedAt: string;
  /** The message body as received. */
  payload: string;
}

interface Connection {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: StreamSettings;
}

/** The dead-letter stream: where poison messages are parked, to be seen and replayed. */
export class DeadLetters {
  private readonly encoder = new TextEncoder();

  constructor(private readonly connection: Connection) {}

  async park(consumer: string, m: JsMsg, reason: string): Promise<void> {
    const { js, stream } = this.connection;
    const record: Omit<ParkedEvent, 'seq'> = {
      consumer,
      reason,
      subject: m.subject,
      streamSeq: m.seq,
      deliveryCount: m.info.deliveryCount,
      parkedAt: new Date().toISOString(),
      payload: m.string(),
    };
    await js.publish(deadLetterSubject(stream, consumer), this.encoder.encode(JSON.stringify(record)), {
      msgID: `${consumer}:${m.seq}`,
    });
  }

  /** Parked messages of one consumer, oldest first. */
  async list(consumer: string, limit = 1000): Promise<ParkedEvent[]> {
    const { jsm, stream } = this.connection;
    const name = deadLetterStream(stream);
    const { state } = await jsm.streams.info(name);
    const wanted = deadLetterSubject(stream, consumer);
    const out: ParkedEvent[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && out.length < limit; seq++) {
      const stored = await jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (stored?.subject === wanted) out.push({ seq, ...stored.json<Omit<ParkedEvent, 'seq'>>() });
    }
    return out;
  }

  /**
   * Publishes a parked message again on its original subject (every consumer of that subject sees
   * it; consumers are idempotent) and removes it from the dead-letter stream.
   */
  async replay(seq: number): Promise<void> {
    const { js, jsm, stream } = this.connection;
    const name = deadLetterStream(stream);
    const stored = await jsm.streams.getMessage(name, { seq });
    if (!stored) throw new Error(`no parked message ${seq} in ${name}`);
    const parked = stored.json<Omit<ParkedEvent, 'seq'>>();
    await js.publish(parked.subject, this.encoder.encode(parked.payload), { msgID: `replay:${name}:${seq}` });
    await jsm.streams.deleteMessage(name, seq);
  }
}
