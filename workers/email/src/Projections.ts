import {
  type EventOf,
  OrderCreated,
  TicketCreated,
  TicketUpdated,
  UserCreated,
  UserUpdated,
} from '@ticketing/events';
import { isDuplicateKeyError } from '@ticketing/kit';
import type { Model } from 'mongoose';
import type { EmailModels } from './models';

export const projectedEvents = [
  UserCreated,
  UserUpdated,
  TicketCreated,
  TicketUpdated,
  OrderCreated,
] as const;
export type Projected = EventOf<(typeof projectedEvents)[number]>;

/**
 * Keeps `$set` for `id` when `version` is newer than what is held (a redelivered or late event
 * changes nothing): an upsert that finds only an equal or newer version collides on `_id`.
 */
async function keepNewer<T>(model: Model<T>, id: string, version: number, set: Record<string, unknown>) {
  try {
    await model.updateOne(
      { _id: id, version: { $lt: version } },
      { $set: { ...set, version } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/** The worker's own small copy of what its mail needs: addresses, ticket titles, orders' buyers. */
export async function applyProjection(models: EmailModels, event: Projected): Promise<void> {
  const id = event.aggregateId;
  switch (event.type) {
    case 'UserCreated':
      return keepNewer(models.Users, id, event.aggregateVersion, { email: event.data.email });
    case 'UserUpdated':
      if (event.data.email !== undefined)
        await keepNewer(models.Users, id, event.aggregateVersion, { email: event.data.email });
      return;
    case 'TicketCreated':
    case 'TicketUpdated':
      return keepNewer(models.Tickets, id, event.aggregateVersion, {
        title: event.data.title,
        priceCents: event.data.priceCents,
        currency: event.data.currency,
      });
    case 'OrderCreated': {
      const { ticketId, buyerId, priceCents, currency } = event.data;
      await models.Orders.updateOne(
        { _id: id },
        { $setOnInsert: { ticketId, buyerId, priceCents, currency } },
        { upsert: true },
      );
      return;
    }
  }
}
