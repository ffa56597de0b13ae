import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@ticketing/kit';
import type { AnyEventDefinition } from './catalogue';
import { DeadLetters } from './DeadLetters';
import { type ConsumerOptions, EventConsumer } from './EventConsumer';
import { Publisher } from './Publisher';
import { DEFAULT_STREAM, ensureStreams, type StreamSettings } from './streams';

export interface EventsOptions {
  /** Default nats://127.0.0.1:4222. */
  url?: string;
  /** Default DEFAULT_STREAM (TICKETING on `ticketing.>`). */
  stream?: StreamSettings;
  /** Connection name shown by the server's monitoring. */
  name?: string;
  logger?: Logger;
}

export interface EventsConnection {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: StreamSettings;
  publisher: Publisher;
  deadLetters: DeadLetters;
  /** Starts a durable consumer; it is stopped by `close` too. */
  consume<D extends AnyEventDefinition>(options: ConsumerOptions<D>): Promise<EventConsumer<D>>;
  /** Stops every consumer (finishing in-flight messages), then drains the connection. Safe twice. */
  close(): Promise<void>;
}

/** Connects to NATS, makes sure the streams exist, and hands out publisher and consumers. */
export async function connectEvents(options: EventsOptions = {}): Promise<EventsConnection> {
  const stream = options.stream ?? DEFAULT_STREAM;
  const nc = await connect({
    servers: options.url ?? 'nats://127.0.0.1:4222',
    name: options.name,
    maxReconnectAttempts: -1,
  });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, stream);
  const js = jetstream(nc);
  const consumers = new Set<EventConsumer<AnyEventDefinition>>();
  let closing: Promise<void> | undefined;

  return {
    nc,
    js,
    jsm,
    stream,
    publisher: new Publisher(js, stream),
    deadLetters: new DeadLetters({ js, jsm, stream }),
    async consume(consumerOptions) {
      const consumer = await EventConsumer.start(
        { js, jsm, stream },
        { logger: options.logger, ...consumerOptions },
      );
      consumers.add(consumer as unknown as EventConsumer<AnyEventDefinition>);
      return consumer;
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...consumers].map((c) => c.stop()));
        if (!nc.isClosed()) await nc.drain();
      })();
      return closing;
    },
  };
}
