import { type EventOf, OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import { Types } from 'mongoose';
import { decideOnOrderEvent } from './decisions';
import type { TicketWriter } from './TicketWriter';

/** The events the tickets service consumes (its durable consumer subscribes to these). */
export const consumedEvents = [OrderCreated, OrderCancelled, OrderCompleted] as const;
type Consumed = EventOf<(typeof consumedEvents)[number]>;

/** The tickets service's handler: an order event reserves, frees or sells its ticket. */
export function handleEvents(writer: TicketWriter, logger?: Logger) {
  return async (event: Consumed): Promise<void> => {
    const ticketId = event.data.ticketId;
    if (!Types.ObjectId.isValid(ticketId)) return;
    const doc = await writer.change(new Types.ObjectId(ticketId), (current) =>
      decideOnOrderEvent(current, event),
    );
    if (!doc) logger?.warn({ event: event.id, ticketId }, 'order event for an unknown ticket; dropped');
  };
}
