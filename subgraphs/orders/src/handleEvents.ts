import {
  applyInOrder,
  ChargeCreated,
  ChargeFailed,
  type EventOf,
  OrderExpired,
  TicketCreated,
  TicketUpdated,
} from '@ticketing/events';
import type { Logger } from '@ticketing/kit';
import { ACTIVE, type OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';
import { objectId } from './objectId';

export const incomingEvents = [
  TicketCreated,
  TicketUpdated,
  OrderExpired,
  ChargeCreated,
  ChargeFailed,
] as const;
type Incoming = EventOf<(typeof incomingEvents)[number]>;

/**
 * The orders service's handler: ticket events feed the projection (in version order); the
 * expiration worker's OrderExpired and the payment events move orders. Every branch is idempotent.
 */
export function handleIncoming(models: OrdersModels, lifecycle: OrderLifecycle, logger?: Logger) {
  return async (event: Incoming): Promise<void> => {
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
      case 'ChargeCreated': {
        // Paid: complete unless cancelled already (payments refunds a charge for a cancelled order).
        const id = objectId(event.data.orderId);
        const paymentId = event.aggregateId;
        const done =
          id &&
          (await lifecycle.transition(id, (doc) =>
            ACTIVE.includes(doc.status) ? { status: 'COMPLETE', paymentId } : null,
          ));
        if (!done)
          logger?.warn({ event: event.id, orderId: event.data.orderId }, 'charge for an unknown order');
        return;
      }
      case 'ChargeFailed': {
        if (!event.data.final) return;
        const id = objectId(event.data.orderId);
        if (id) {
          await lifecycle.transition(id, (doc) =>
            ACTIVE.includes(doc.status) ? { status: 'CANCELLED', reason: 'payment_failed' } : null,
          );
        }
        return;
      }
    }
  };
}
