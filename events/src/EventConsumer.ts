import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from '@ticketing/kit';
import type { AnyEventDefinition } from './catalogue';
import { DeadLetters } from './DeadLetters';
import type { EventOf } from './defineEvent';
import { RetryLater, retryDelayMs } from './ordering';
import { type StreamSettings, subjectFor } from './streams';

export interface Delivery {
  subject: string;
  /** 1 on first delivery. */
  deliveryCount: number;
  streamSeq: number;
}

export interface ConsumerOptions<D extends AnyEventDefinition> {
  /** Durable name, one per consuming service: its replicas share it and split the work. */
  durable: string;
  /** The events this consumer handles; others on the stream are not delivered to it (or are acknowledged unseen). */
  events: readonly D[];
  /** Must be idempotent: delivery is at least once. Throw to retry; throw RetryLater to wait for a predecessor. */
  handle: (event: EventOf<D>, delivery: Delivery) => Promise<void>;
  /** Unacknowledged messages are redelivered after this long. Default 30 000 ms. */
  ackWaitMs?: number;
  /** Deliveries before a failing message is parked in the dead-letter stream. Default 10. */
  maxDeliver?: number;
  /** Messages buffered from the server at a time. Default 256. */
  batch?: number;
  logger?: Logger;
}

interface Connection {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: StreamSettings;
}

/** A durable pull consumer with explicit acks, bounded redelivery and dead-lettering. */
export class EventConsumer<D extends AnyEventDefinition> {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly bySubject: Map<string, D>;
  private readonly deadLetters: DeadLetters;

  private constructor(
    private readonly connection: Connection,
    private readonly options: ConsumerOptions<D>,
  ) {
    this.bySubject = new Map(options.events.map((d) => [subjectFor(connection.stream, d.subject), d]));
    this.deadLetters = new DeadLetters(connection);
  }

  static async start<D extends AnyEventDefinition>(connection: Connection, options: ConsumerOptions<D>) {
    const consumer = new EventConsumer(connection, options);
    await consumer.begin();
    return consumer;
  }

  /** Stops fetching, finishes the message in hand, and hands buffered ones back for redelivery. Safe twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.messages?.close();
      await this.loop;
    })();
    return this.stopping;
  }

  private async begin() {
    const { js, jsm, stream } = this.connection;
    const config = this.consumerConfig();
    const exists = await jsm.consumers.info(stream.name, this.options.durable).then(
      () => true,
      () => false,
    );
    if (exists) await jsm.consumers.update(stream.name, this.options.durable, config);
    else await jsm.consumers.add(stream.name, config);

    const consumer = await js.consumers.get(stream.name, this.options.durable);
    this.messages = await consumer.consume({ max_messages: this.options.batch ?? 256 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const m of messages) {
        if (this.stopping) m.nak();
        else await this.process(m);
      }
    })();
  }

  private consumerConfig(): Partial<ConsumerConfig> & { durable_name: string } {
    return {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      // We count deliveries ourselves and park; the server never drops a message on its own.
      max_deliver: -1,
      filter_subject: this.filterSubject(),
    };
  }

  /** The narrowest single filter covering every handled subject (nats-server 2.9 has no filter_subjects). */
  private filterSubject(): string {
    const subjects = [...this.bySubject.keys()];
    if (subjects.length === 1) return subjects[0] as string;
    const domains = new Set(this.options.events.map((d) => d.subject.split('.')[0]));
    const prefix = this.connection.stream.subjectPrefix;
    return domains.size === 1 ? `${prefix}.${[...domains][0]}.>` : `${prefix}.>`;
  }

  private async process(m: JsMsg) {
    const { maxDeliver = 10, logger, handle } = this.options;
    const definition = this.bySubject.get(m.subject);
    if (!definition) return m.ack(); // on the filter, but not ours
    const delivery = { subject: m.subject, deliveryCount: m.info.deliveryCount, streamSeq: m.seq };

    let event: EventOf<D>;
    try {
      event = definition.parse(m.json()) as EventOf<D>;
    } catch (err) {
      return this.park(m, `invalid payload: ${message(err)}`);
    }
    if (delivery.deliveryCount > maxDeliver) {
      return this.park(m, `delivered ${delivery.deliveryCount} times without being handled`);
    }
    try {
      await handle(event, delivery);
      m.ack();
    } catch (err) {
      const last = delivery.deliveryCount >= maxDeliver;
      if (err instanceof RetryLater) {
        if (last) return this.park(m, `gave up waiting: ${err.message}`);
        return m.nak(retryDelayMs(delivery.deliveryCount));
      }
      logger?.warn({ err, event: event.id, type: event.type, delivery }, 'event handler failed');
      if (last) return this.park(m, `handler failed ${delivery.deliveryCount} times: ${message(err)}`);
      // Not acknowledged: JetStream redelivers it after the ack wait.
    }
  }

  private async park(m: JsMsg, reason: string) {
    try {
      await this.deadLetters.park(this.options.durable, m, reason);
      m.term(reason);
      this.options.logger?.error({ subject: m.subject, seq: m.seq, reason }, 'event parked');
    } catch (err) {
      // Could not park (NATS trouble): leave it for redelivery rather than lose it.
      this.options.logger?.error({ err, subject: m.subject, seq: m.seq }, 'could not park event');
    }
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
