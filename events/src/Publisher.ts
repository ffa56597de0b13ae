import type { JetStreamClient } from '@nats-io/jetstream';
import { definitionOf } from './catalogue';
import type { DomainEvent } from './defineEvent';
import { type StreamSettings, subjectFor } from './streams';

export interface PublishResult {
  /** Sequence in the stream. */
  seq: number;
  /** True when JetStream had the event already (same id within the duplicate window). */
  duplicate: boolean;
}

/** Publishes catalogue events and waits for JetStream's acknowledgement (the event is stored). */
export class Publisher {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: StreamSettings,
  ) {}

  async publish(event: DomainEvent): Promise<PublishResult> {
    const { subject } = definitionOf(event.type);
    const ack = await this.js.publish(
      subjectFor(this.stream, subject),
      this.encoder.encode(JSON.stringify(event)),
      {
        msgID: event.id,
        expect: { streamName: this.stream.name },
      },
    );
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}
