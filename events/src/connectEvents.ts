import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@ticketing/kit';
import type { AnyEventDefinition } from './catalogue';
import { DeadLetters } from './DeadLetters';
import { type ConsumerOptions, EventConsumer } from './EventConsumer';
import { Publisher } from './Publisher';
import { ensureStreams, readStreamSettings, type StreamSettings } from './streams';

export interface EventsOptions {
  /** Default nats://127.0.0.1:4222. A user and password in the URL sign in with them. */
  url?: string;
  /** Default DEFAULT_STREAM (TICKETING on `ticketing.>`) with readStreamSettings' sizes and replicas. */
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

/** nats.js ignores a URL's user and password: they are passed as options, and the URL goes without them. */
function serverOf(url: string): { servers: string; user?: string; pass?: string } {
  const parsed = new URL(url);
  if (!parsed.username) return { servers: url };
  const credentials = {
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
  };
  parsed.username = '';
  parsed.password = '';
  return { servers: parsed.toString(), ...credentials };
}

/** Connects to NATS, makes sure the streams exist, and hands out publisher and consumers. */
export async function connectEvents(options: EventsOptions = {}): Promise<EventsConnection> {
  const stream = options.stream ?? readStreamSettings();
  const nc = await connect({
    ...serverOf(options.url ?? 'nats://127.0.0.1:4222'),
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
