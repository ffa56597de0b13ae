import { type EventsConnection, followFromNow, TicketCreated, TicketUpdated } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import type { mongo } from 'mongoose';
import type { TicketCopy } from './models';
import { SingleFlight } from './SingleFlight';

export interface TicketCopiesOptions {
  /** Orders' projection of tickets, kept by its durable consumer; read on a miss. */
  collection: mongo.Collection<TicketCopy>;
  /** Copies held at most (least recently used go first). Default 100 000 (a few tens of MB). */
  maxEntries?: number;
  /**
   * A held copy older than this is read again: the bound on staleness should this replica's feed
   * stop (the projection itself is as far behind as its consumer). Default 10 000 ms.
   */
  maxAgeMs?: number;
  logger?: Logger;
  /** Default: performance.now(). */
  clock?: () => number;
}

interface Held {
  copy: TicketCopy;
  at: number;
}

/**
 * The ticket copies createOrder and Order.ticket read, held in memory: filled by a read of the
 * projection on a miss, and kept current by an ephemeral ordered consumer of the tickets' events
 * from "now on" (each replica sees every event; they carry the whole copy). Versions decide, so a
 * read and an event racing each other leave the newer copy. Under a rush of new listings and
 * buyers, the read per order was half the database commands of createOrder. A copy is exactly as
 * trustworthy as the projection's: the lock still decides who gets a ticket.
 */
export class TicketCopies {
  private readonly held = new Map<string, Held>();
  private readonly reads = new SingleFlight<TicketCopy | null>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly clock: () => number;
  private messages: { close(): Promise<unknown> } | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TicketCopiesOptions) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Follows the tickets' events from now on. Without it, copies are only read (and re-read when old). */
  async start(events: EventsConnection): Promise<this> {
    const messages = await followFromNow(events, 'tickets.>');
    this.messages = messages;
    this.loop = (async () => {
      for await (const m of messages) this.apply(m.json());
    })().catch((err: unknown) => {
      this.options.logger?.warn({ err }, 'ticket copies: the feed stopped; copies are read again once old');
    });
    return this;
  }

  /** Stops the feed. Safe twice. */
  async stop(): Promise<void> {
    await this.messages?.close();
    this.messages = undefined;
    await this.loop;
  }

  /** The copy of `ticketId`, or null when orders has none (not listed, or not heard of yet). */
  async get(ticketId: string): Promise<TicketCopy | null> {
    const hit = this.held.get(ticketId);
    if (hit && this.clock() - hit.at <= this.maxAgeMs) {
      // Most recently used last: eviction takes the first.
      this.held.delete(ticketId);
      this.held.set(ticketId, hit);
      return hit.copy;
    }
    const { value } = await this.reads.run(ticketId, () =>
      this.options.collection.findOne({ _id: ticketId }),
    );
    if (value) this.offer(value);
    // The fresher of the read and whatever the feed applied meanwhile.
    return this.held.get(ticketId)?.copy ?? value;
  }

  /** Keeps `copy` unless a newer version is held; a copy as new as the held one refreshes its age. */
  offer(copy: TicketCopy): void {
    const current = this.held.get(copy._id);
    if (current && current.copy.version > copy.version) return;
    this.held.delete(copy._id);
    this.held.set(copy._id, { copy, at: this.clock() });
    if (this.held.size > this.maxEntries) this.held.delete(this.held.keys().next().value as string);
  }

  /** A ticket event as the feed delivers it; anything else is passed over. */
  apply(raw: unknown): void {
    try {
      const type = (raw as { type?: unknown } | null)?.type;
      if (type === TicketCreated.type) {
        const { aggregateId, aggregateVersion, data } = TicketCreated.parse(raw);
        const { title, priceCents, currency, sellerId } = data;
        const copy = {
          title,
          priceCents,
          currency,
          sellerId,
          status: 'AVAILABLE' as const,
          reservedUntil: null,
        };
        this.offer({ _id: aggregateId, version: aggregateVersion, ...copy });
      } else if (type === TicketUpdated.type) {
        const { aggregateId, aggregateVersion, data } = TicketUpdated.parse(raw);
        const { title, priceCents, currency, sellerId, status, reservedUntil } = data;
        const until = reservedUntil ? new Date(reservedUntil) : null;
        const copy = { title, priceCents, currency, sellerId, status, reservedUntil: until };
        this.offer({ _id: aggregateId, version: aggregateVersion, ...copy });
      }
    } catch (err) {
      this.options.logger?.warn({ err }, 'ticket copies: an event could not be applied');
    }
  }

  /** Copies held now (tests and logs). */
  get size(): number {
    return this.held.size;
  }
}
