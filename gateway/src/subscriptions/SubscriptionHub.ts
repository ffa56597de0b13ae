import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DomainEvent } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import type { Identity } from '@ticketing/kit/auth';
import type { ExecutionResult } from 'graphql';
import { ENTITY_ID_VARIABLE } from './deriveEntityQuery';
import { LiveIterator } from './LiveIterator';
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
  /** Sends one update to this subscriber: the graphql-ws `next` payload, serialised (JSON text). */
  send: (payload: string) => void;
}

interface Subscriber {
  send: (payload: string) => void;
  /** Ended by the client, the server or shutdown: nothing more is sent to it. */
  iterator: LiveIterator;
}

/**
 * Subscribers of one topic who get the same answers: the same derived query and variables, asked
 * with the same visibility. One resolution per event serves them all, serialised once.
 */
interface Group {
  topic: string;
  key: string;
  query: string;
  responseKey: string;
  variables: Record<string, unknown>;
  /** The identity the group's answers are resolved as (all its members see the same). */
  identity: Identity | null;
  subscribers: Set<Subscriber>;
  /** The resolution running for each entity, if any (see `inOrder`). */
  flights: Map<string, Flight>;
}

interface Flight {
  /** Events that came while it ran: one more resolution, for these subscribers, once it is done. */
  again?: { subscribers: Set<Subscriber>; done: Promise<void>; resolve: () => void };
}

/** Sends between two turns of the event loop: other groups, sockets and requests go on meanwhile. */
const SENDS_PER_TURN = 500;
/** Event ids remembered so a redelivered event is not resolved and sent twice. */
const RECENT_EVENTS = 1000;

/**
 * Live subscriptions by topic. For each event, subscribers that asked for the same thing (same
 * derived query and variables, same visibility) share one resolution through the supergraph and
 * one serialisation of its answer.
 */
export class SubscriptionHub {
  private readonly byTopic = new Map<string, Map<string, Group>>();
  private readonly recentEvents = new Set<string>();
  private count = 0;

  constructor(
    private readonly run: RunQuery,
    private readonly logger?: Logger,
  ) {}

  get size(): number {
    return this.count;
  }

  subscribe(subscription: LiveSubscription): LiveIterator {
    const { topic, query, variables, identity } = subscription;
    const key = `${query}\n${JSON.stringify(variables)}\n${visibilityOf(identity)}`;
    const groups = this.byTopic.get(topic) ?? new Map<string, Group>();
    this.byTopic.set(topic, groups);
    let group = groups.get(key);
    if (!group) {
      const { responseKey } = subscription;
      group = {
        topic,
        key,
        query,
        responseKey,
        variables,
        identity,
        subscribers: new Set(),
        flights: new Map(),
      };
      groups.set(key, group);
    }
    const joined = group;
    const subscriber: Subscriber = {
      send: subscription.send,
      iterator: new LiveIterator(() => this.remove(joined, subscriber)),
    };
    group.subscribers.add(subscriber);
    this.count++;
    return subscriber.iterator;
  }

  /** Ends every subscription (shutdown). */
  closeAll(): void {
    for (const groups of [...this.byTopic.values()])
      for (const group of [...groups.values()]) for (const s of [...group.subscribers]) s.iterator.close();
  }

  async dispatch(event: DomainEvent): Promise<void> {
    if (this.recentEvents.has(event.id)) return;
    this.recentEvents.add(event.id);
    if (this.recentEvents.size > RECENT_EVENTS)
      this.recentEvents.delete(this.recentEvents.values().next().value as string);
    await Promise.all(
      triggersOf(event).flatMap(({ topic, entityId }) =>
        [...(this.byTopic.get(topic)?.values() ?? [])].map((group) =>
          this.inOrder(group, entityId, [...group.subscribers]),
        ),
      ),
    );
  }

  /**
   * One resolution at a time per group and entity, each sent in full before the next starts: a
   * later resolution reads a state at least as new, so a subscriber never gets an older state after
   * a newer one. Events that come meanwhile fold into one more resolution after the running one.
   */
  private inOrder(group: Group, entityId: string, subscribers: Subscriber[]): Promise<void> {
    const running = group.flights.get(entityId);
    if (running) {
      if (!running.again) {
        let resolve = () => {};
        const done = new Promise<void>((r) => {
          resolve = r;
        });
        running.again = { subscribers: new Set(), done, resolve };
      }
      for (const s of subscribers) running.again.subscribers.add(s);
      return running.again.done;
    }
    const flight: Flight = {};
    group.flights.set(entityId, flight);
    return (async () => {
      await this.deliver(group, entityId, subscribers);
      for (let again = flight.again; again; again = flight.again) {
        flight.again = undefined;
        await this.deliver(group, entityId, [...again.subscribers]);
        again.resolve();
      }
      group.flights.delete(entityId);
    })();
  }

  private async deliver(group: Group, entityId: string, subscribers: Subscriber[]): Promise<void> {
    let payload: string;
    try {
      const result = await this.run(
        group.query,
        { ...group.variables, [ENTITY_ID_VARIABLE]: entityId },
        group.identity,
      );
      // Nothing to say (the entity is gone, or no longer visible to these subscribers).
      if (result.data?.[group.responseKey] == null && !result.errors?.length) return;
      // Once for the group. A GraphQLError serialises through its toJSON; the pipeline's are plain.
      payload = JSON.stringify(result);
    } catch (err) {
      this.logger?.error({ err, entityId }, 'could not resolve a live update');
      return;
    }
    for (let i = 0; i < subscribers.length; i++) {
      const s = subscribers[i] as Subscriber;
      if (!s.iterator.closed) s.send(payload);
      if ((i + 1) % SENDS_PER_TURN === 0) await nextTurn();
    }
  }

  /** Once per subscriber: its iterator ends once. */
  private remove(group: Group, subscriber: Subscriber) {
    group.subscribers.delete(subscriber);
    this.count--;
    if (group.subscribers.size > 0) return;
    const groups = this.byTopic.get(group.topic) as Map<string, Group>;
    groups.delete(group.key);
    // Stryker disable next-line ConditionalExpression: an empty map kept for a topic nobody watches only holds memory
    if (groups.size === 0) this.byTopic.delete(group.topic);
  }
}

/**
 * What decides the answers an identity gets: the user, how it signed in and what its credential
 * may do (a session may do everything, an API key what its scopes allow). Which session or key it
 * is changes no answer, so subscribers differing only by that share one.
 */
function visibilityOf(identity: Identity | null): string {
  return JSON.stringify(identity && [identity.userId, identity.via, identity.scopes]);
}
