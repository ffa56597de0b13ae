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
import { decideOnPaymentEvent, isActive } from './decisions';
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
 * An order that took the lock while the seller withdrew the ticket (tickets withdrew it before it
 * heard of the order, so never reserved it): it is cancelled, so nobody pays for a ticket off sale.
 */
async function cancelHolderOfWithdrawn(models: OrdersModels, lifecycle: OrderLifecycle, ticketId: string) {
  const lock = await models.locks.findOne({ _id: ticketId });
  const orderId = lock && !lock.sold ? objectId(lock.orderId) : null;
  if (!orderId) return;
  await lifecycle.transition(orderId, (doc) =>
    isActive(doc.status) ? { status: 'CANCELLED', reason: 'cancelled' } : null,
  );
}

/**
 * The orders service's handler: ticket events feed the projection (in version order); the
 * expiration worker's OrderExpired and the payment events move orders. Every branch is idempotent.
 */
export function handleEvents(models: OrdersModels, lifecycle: OrderLifecycle, logger?: Logger) {
  return async (event: Consumed): Promise<void> => {
    switch (event.type) {
      case 'TicketCreated': {
        const { title, priceCents, currency, sellerId } = event.data;
        await applyInOrder(models.tickets, event, {
          title,
          priceCents,
          currency,
          sellerId,
          status: 'AVAILABLE',
          reservedUntil: null,
        });
        return;
      }
      case 'TicketUpdated': {
        const { title, priceCents, currency, sellerId, status, reservedUntil } = event.data;
        await applyInOrder(models.tickets, event, {
          title,
          priceCents,
          currency,
          sellerId,
          status,
          reservedUntil: reservedUntil ? new Date(reservedUntil) : null,
        });
        if (status === 'WITHDRAWN') await cancelHolderOfWithdrawn(models, lifecycle, event.aggregateId);
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
