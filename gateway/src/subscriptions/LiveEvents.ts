import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { type DomainEvent, definitionOf, type StreamSettings } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';

export type EventListener = (event: DomainEvent) => void;

/**
 * This replica's own view of the domain events: an ephemeral ordered consumer from "now on"
 * (never a durable shared between replicas, so every replica sees every event). Ordered consumers
 * recreate themselves after a gap, so nothing is skipped while the connection lives.
 */
export class LiveEvents {
  private stopping: Promise<void> | undefined;
  private messages: { close(): Promise<unknown> } | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: StreamSettings,
    private readonly listener: EventListener,
    private readonly logger?: Logger,
  ) {}

  async start(): Promise<this> {
    // The whole stream (no filter: nats-server 2.9 has no filter_subjects for ordered consumers).
    const consumer = await this.js.consumers.get(this.stream.name, { deliver_policy: DeliverPolicy.New });
    // Pulls expire after 5 s (default 30 s), so heartbeats are expected every 2.5 s: a pull lost
    // when NATS restarts is noticed and made again within seconds, not after a minute of stale
    // subscriptions and cache.
    const messages = await consumer.consume({ expires: 5_000 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const m of messages) {
        const event = this.parse(m.json());
        if (event) this.listener(event);
      }
    })();
    return this;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.messages?.close();
      await this.loop;
    })();
    return this.stopping;
  }

  private parse(raw: unknown): DomainEvent | null {
    try {
      return definitionOf((raw as { type?: string }).type ?? '').parse(raw);
    } catch (err) {
      this.logger?.warn({ err }, 'ignoring an event that does not match the catalogue');
      return null;
    }
  }
}
