import {
  applyInOrder,
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
  type EventOf,
  OrderExpired,
  TicketCreated,
  TicketUpdated,
} from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import { decideOnPaymentEvent } from './decisions';
import type { OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';
import { objectId } from './objectId';

/** The events the orders service consumes (its durable consumer subscribes to these). */
export const consumedEvents = [
  TicketCreated,
  TicketUpdated,
  OrderExpired,
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
] as const;
type Consumed = EventOf<(typeof consumedEvents)[number]>;

/**
 * The orders service's handler: ticket events feed the projection (in version order); the
 * expiration worker's OrderExpired and the payment events move orders. Every branch is idempotent.
 */
export function handleEvents(models: OrdersModels, lifecycle: OrderLifecycle, logger?: Logger) {
  return async (event: Consumed): Promise<void> => {
    switch (event.type) {
      case 'TicketCreated':
      case 'TicketUpdated': {
        const { title, priceCents, sellerId } = event.data;
        await applyInOrder(models.tickets, event, { title, priceCents, sellerId });
        return;
      }
      case 'OrderExpired': {
        const id = objectId(event.aggregateId);
        if (id) await lifecycle.expire(id);
        return;
      }
      case 'ChargeAttempted':
      case 'ChargeCreated':
      case 'ChargeFailed': {
        const id = objectId(event.data.orderId);
        const order = id && (await lifecycle.transition(id, (doc) => decideOnPaymentEvent(doc, event)));
        if (!order)
          logger?.warn({ event: event.id, orderId: event.data.orderId }, 'payment of an unknown order');
        return;
      }
    }
  };
}
