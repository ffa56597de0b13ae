import { TicketUpdated, withOutbox } from '@ticketing/events';
import { KeyedMutex } from '@ticketing/kit';
import type { Types } from 'mongoose';
import type { TicketDoc, TicketsModels } from './models';

/** What a change may set on a ticket. */
export type TicketChange = Partial<
  Pick<TicketDoc, 'title' | 'priceCents' | 'status' | 'reservedUntil' | 'orderId' | 'closedOrderIds'>
>;

/**
 * The one way a ticket changes after creation: serialised per ticket in this process, applied on
 * top of the version read (a replica that wrote meanwhile makes it retry), bumping the version and
 * recording TicketUpdated in the same single-document write (the outbox).
 */
export class TicketWriter {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly models: TicketsModels,
    private readonly kickOutbox: () => void,
  ) {}

  /**
   * Reads the ticket and asks `decide` what to change: a change, null for nothing, or an Error to
   * throw. Returns the ticket as it ends, or null when it does not exist.
   */
  change(
    id: Types.ObjectId,
    decide: (doc: TicketDoc) => TicketChange | null | Error,
  ): Promise<TicketDoc | null> {
    return this.mutex.run(id.toHexString(), async () => {
      for (let attempt = 0; ; attempt++) {
        const doc = await this.models.Tickets.findById(id, { outbox: 0 }).lean<TicketDoc>();
        if (!doc) return null;
        const change = decide(doc);
        if (change instanceof Error) throw change;
        if (!change) return doc;
        const next: TicketDoc = { ...doc, ...change, version: doc.version + 1 };
        const event = TicketUpdated.create({
          aggregateId: id.toHexString(),
          aggregateVersion: next.version,
          data: {
            title: next.title,
            priceCents: next.priceCents,
            sellerId: next.sellerId,
            status: next.status,
            reservedUntil: next.reservedUntil ? next.reservedUntil.toISOString() : null,
            orderId: next.orderId,
          },
        });
        const result = await this.models.Tickets.updateOne(
          { _id: id, version: doc.version },
          withOutbox<TicketDoc>({ $set: { ...change, version: next.version } }, event),
        );
        if (result.matchedCount === 1) {
          this.kickOutbox();
          return next;
        }
        if (attempt >= 5) throw new Error(`ticket ${id.toHexString()} keeps changing; giving up`);
      }
    });
  }
}
