import { type EventsConnection, followFromNow, TicketCreated, TicketUpdated } from '@ticketing/events';
import { type Logger, RecencyMap } from '@ticketing/kit';
import type { mongo } from 'mongoose';
import type { TicketCopy } from './models';
import { SingleFlight } from './SingleFlight';

export interface TicketCopiesOptions {
  /** Orders' projection of tickets, kept by its durable consumer; read on a miss. */
  collection: mongo.Collection<TicketCopy>;
  /** Copies held at most (least recently used go first). Default 100 000 (a few tens of MB). */
  maxEntries?: number;
  logger?: Logger;
}

/**
 * The ticket copies createOrder and Order.ticket read, held in memory: filled by a read of the
 * projection on a miss, and kept current by an ephemeral ordered consumer of the tickets' events
 * from "now on" (each replica sees every event; they carry the whole copy). Versions decide, so a
 * read and an event racing each other leave the newer copy. Copies are served from memory only
 * while the feed runs (it resumes by itself across reconnects); before it starts, and should it
 * end other than by `stop`, every call reads the projection, as if nothing were held. Under a rush
 * of new listings and buyers, the read per order was half the database commands of createOrder.
 * A copy is exactly as trustworthy as the projection's: the lock still decides who gets a ticket.
 */
export class TicketCopies {
  private readonly held: RecencyMap<string, TicketCopy>;
  private readonly reads = new SingleFlight<TicketCopy | null>();
  /** True while the feed runs: only then is a held copy current. */
  private feeding = false;
  private messages: { close(): Promise<unknown> } | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TicketCopiesOptions) {
    this.held = new RecencyMap(options.maxEntries ?? 100_000);
  }

  /** Follows the tickets' events from now on; until then every call reads the projection. */
  async start(events: EventsConnection): Promise<this> {
    const messages = await followFromNow(events, 'tickets.>');
    this.messages = messages;
    this.feeding = true;
    this.loop = (async () => {
      for await (const m of messages) this.apply(m.json());
    })()
      .catch((err: unknown) => {
        this.options.logger?.warn(
          { err },
          'ticket copies: the feed stopped; every order reads its copy again',
        );
      })
      .finally(() => {
        // Events from here on are not seen: what is held may go stale, so none of it is served.
        this.feeding = false;
        this.held.clear();
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
    const hit = this.feeding ? this.held.get(ticketId) : undefined;
    if (hit) return hit;
    const { value } = await this.reads.run(ticketId, () =>
      this.options.collection.findOne({ _id: ticketId }),
    );
    if (value) this.offer(value);
    // The fresher of the read and whatever the feed applied meanwhile.
    return this.held.peek(ticketId) ?? value;
  }

  /** Keeps `copy` unless a newer version is held (nothing is kept without the feed). */
  offer(copy: TicketCopy): void {
    if (!this.feeding) return;
    const current = this.held.peek(copy._id);
    if (current && current.version > copy.version) return;
    this.held.set(copy._id, copy);
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
