import { type EventsConnection, followFromNow, TicketCreated, TicketUpdated } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import type { Model } from 'mongoose';
import type { ListingIndex } from './ListingIndex';
import { LISTED_FIELDS, type ListedDoc, listedTicket } from './listedTicket';
import type { TicketDoc } from './models';
import { objectId } from './TicketResolver';

/** Tries of the one read an event for an unknown ticket needs, before it is left to the next event. */
const READ_TRIES = 3;

/**
 * Keeps a replica's ListingIndex current with the writes of the others: an ephemeral ordered
 * consumer of the tickets' own events from "now on" (each replica sees every event), started
 * before the one projected read that fills the index, so no write falls between the two. An
 * update of a ticket the index holds is applied from the event (it carries every listed field);
 * a ticket the index does not hold yet is read by `_id` (its createdAt is not in the event).
 * Versions decide, so an event that arrives after this replica's own write changes nothing.
 */
export class ListingFeed {
  private loop: Promise<void> | undefined;
  private messages: { close(): Promise<unknown> } | undefined;

  constructor(
    private readonly index: ListingIndex,
    private readonly tickets: Model<TicketDoc>,
    private readonly logger?: Logger,
  ) {}

  async start(events: EventsConnection): Promise<this> {
    const messages = await followFromNow(events, 'tickets.>');
    this.messages = messages;
    // Events published while the index loads wait in the consumer and are applied after it.
    const docs = await this.tickets.find({}, LISTED_FIELDS).lean<ListedDoc[]>();
    this.index.load(docs.map(listedTicket));
    this.logger?.info({ tickets: this.index.size }, 'listing loaded');
    this.loop = (async () => {
      for await (const m of messages) await this.handle(m);
    })();
    return this;
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  private async handle(message: { json(): unknown }): Promise<void> {
    let type: unknown;
    try {
      const raw = message.json();
      type = (raw as { type?: unknown } | null)?.type;
      if (type === TicketUpdated.type) {
        const event = TicketUpdated.parse(raw);
        const held = this.index.get(event.aggregateId);
        if (held) {
          const { title, priceCents, currency, sellerId, status, reservedUntil } = event.data;
          return this.index.apply({
            ...held,
            title,
            priceCents,
            currency,
            sellerId,
            status,
            reservedUntil: reservedUntil ? new Date(reservedUntil) : null,
            version: event.aggregateVersion,
          });
        }
        return await this.read(event.aggregateId, event.aggregateVersion);
      }
      if (type === TicketCreated.type) {
        const event = TicketCreated.parse(raw);
        return await this.read(event.aggregateId, event.aggregateVersion);
      }
    } catch (err) {
      this.logger?.warn({ err, type }, 'listing: an event could not be applied');
    }
  }

  /** Reads a ticket the index has not got at `version` yet, by `_id` (indexed on every backend). */
  private async read(id: string, version: number): Promise<void> {
    const _id = objectId(id);
    for (let attempt = 1; _id && this.index.versionOf(id) < version; attempt++) {
      try {
        const doc = await this.tickets.findById(_id, LISTED_FIELDS).lean<ListedDoc>();
        if (doc) this.index.apply(listedTicket(doc));
        return;
      } catch (err) {
        if (attempt >= READ_TRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}
