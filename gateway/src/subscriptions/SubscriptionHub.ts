import type { DomainEvent } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import type { Identity } from '@ticketing/kit/auth';
import type { ExecutionResult } from 'graphql';
import { AsyncQueue } from './AsyncQueue';
import { ENTITY_ID_VARIABLE } from './deriveEntityQuery';
import { triggersOf } from './liveFields';

/** Runs a query through the supergraph as `identity` (the gateway's own request pipeline). */
export type RunQuery = (
  query: string,
  variables: Record<string, unknown>,
  identity: Identity | null,
  operationName?: string,
) => Promise<ExecutionResult>;

export interface LiveSubscription {
  topic: string;
  query: string;
  responseKey: string;
  variables: Record<string, unknown>;
  identity: Identity | null;
}

interface Subscriber extends LiveSubscription {
  /**
   * Subscribers with the same key share one resolution per entity. Made once, at subscribe time:
   * every event visits every subscriber of its topic.
   */
  groupKey: string;
  queue: AsyncQueue<ExecutionResult>;
  /** Event ids already delivered: a redelivered event is not sent twice. */
  seen: Set<string>;
}

/**
 * Live subscriptions by topic. For each event, subscribers that asked for the same thing (same
 * derived query, variables and identity) share one resolution through the supergraph.
 */
export class SubscriptionHub {
  private readonly byTopic = new Map<string, Set<Subscriber>>();

  constructor(
    private readonly run: RunQuery,
    private readonly logger?: Logger,
  ) {}

  get size(): number {
    let n = 0;
    for (const set of this.byTopic.values()) n += set.size;
    return n;
  }

  subscribe(subscription: LiveSubscription): AsyncQueue<ExecutionResult> {
    const { query, variables, identity } = subscription;
    const subscriber: Subscriber = {
      ...subscription,
      groupKey: `${query}\n${JSON.stringify(variables)}\n${identity?.userId ?? ''}`,
      seen: new Set(),
      queue: new AsyncQueue(() => this.remove(subscriber)),
    };
    const set = this.byTopic.get(subscription.topic) ?? new Set();
    set.add(subscriber);
    this.byTopic.set(subscription.topic, set);
    return subscriber.queue;
  }

  /** Ends every subscription (shutdown). */
  closeAll(): void {
    for (const set of [...this.byTopic.values()]) for (const s of [...set]) s.queue.close();
  }

  async dispatch(event: DomainEvent): Promise<void> {
    const groups = new Map<string, { entityId: string; subscribers: Subscriber[] }>();
    for (const { topic, entityId } of triggersOf(event)) {
      for (const s of this.byTopic.get(topic) ?? []) {
        if (s.seen.has(event.id)) continue;
        s.seen.add(event.id);
        if (s.seen.size > 100) s.seen.delete(s.seen.values().next().value as string);
        const key = `${s.groupKey}\n${entityId}`;
        const group = groups.get(key) ?? { entityId, subscribers: [] };
        group.subscribers.push(s);
        groups.set(key, group);
      }
    }
    await Promise.all([...groups.values()].map((g) => this.deliver(g.entityId, g.subscribers)));
  }

  private async deliver(entityId: string, subscribers: Subscriber[]) {
    const [first] = subscribers;
    if (!first) return;
    try {
      const result = await this.run(
        first.query,
        { ...first.variables, [ENTITY_ID_VARIABLE]: entityId },
        first.identity,
      );
      // Nothing to say (the entity is gone, or no longer visible to this subscriber).
      if (result.data?.[first.responseKey] == null && !result.errors?.length) return;
      for (const s of subscribers) s.queue.push(result);
    } catch (err) {
      this.logger?.error({ err, entityId }, 'could not resolve a live update');
    }
  }

  private remove(subscriber: Subscriber) {
    const set = this.byTopic.get(subscriber.topic);
    set?.delete(subscriber);
    if (set?.size === 0) this.byTopic.delete(subscriber.topic);
  }
}
