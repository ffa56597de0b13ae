import { TicketUpdated, VersionedWriter } from '@ticketing/events';
import { storedCurrency } from '@ticketing/kit/money';
import type { Types } from 'mongoose';
import type { TicketDoc, TicketsModels } from './models';

/** What a change may set on a ticket. */
export type TicketChange = Partial<
  Pick<
    TicketDoc,
    'title' | 'priceCents' | 'currency' | 'status' | 'reservedUntil' | 'orderId' | 'closedOrderIds'
  >
>;

/** Every change of a ticket after creation is announced with the whole ticket as it ends. */
function ticketUpdated(next: TicketDoc) {
  return TicketUpdated.create({
    aggregateId: next._id.toHexString(),
    aggregateVersion: next.version,
    data: {
      title: next.title,
      priceCents: next.priceCents,
      currency: storedCurrency(next.currency),
      sellerId: next.sellerId,
      status: next.status,
      reservedUntil: next.reservedUntil ? next.reservedUntil.toISOString() : null,
      orderId: next.orderId,
    },
  });
}

/**
 * The one way a ticket changes after creation: through the shared versioned writer (serialised
 * per ticket, conditional on the version read, TicketUpdated recorded in the same write).
 * `changed` hears the ticket as it ends after every successful change (the listing's read model).
 */
export class TicketWriter {
  private readonly writer: VersionedWriter<TicketDoc>;

  constructor(
    models: TicketsModels,
    kickOutbox: () => void,
    private readonly changed: (doc: TicketDoc) => void = () => undefined,
  ) {
    this.writer = new VersionedWriter({ model: models.Tickets, kickOutbox });
  }

  /**
   * Reads the ticket and asks `decide` what to change: a change, null for nothing, or an Error to
   * throw. Returns the ticket as it ends, or null when it does not exist.
   */
  async change(
    id: Types.ObjectId,
    decide: (doc: TicketDoc) => TicketChange | null | Error,
  ): Promise<TicketDoc | null> {
    const doc = await this.writer.change(id, (current) => {
      const change = decide(current);
      if (!change || change instanceof Error) return change;
      return { set: change, events: (next) => [ticketUpdated(next)] };
    });
    if (doc) this.changed(doc);
    return doc;
  }
}
