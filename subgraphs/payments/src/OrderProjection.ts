import {
  ActiveOrderStatus,
  applyInOrder,
  checkVersion,
  type EventOf,
  type OrderCancelled,
  type OrderCompleted,
  type OrderCreated,
  RetryLater,
} from '@ticketing/events';
import type { Model } from 'mongoose';
import type { OrderProjectionDoc } from './models';

type OrderEvent =
  | EventOf<typeof OrderCreated>
  | EventOf<typeof OrderCancelled>
  | EventOf<typeof OrderCompleted>;

/** Is the order still waiting for its payment at `now`? */
export function isPayable(order: OrderProjectionDoc | null, now: Date): order is OrderProjectionDoc {
  if (!order) return false;
  if (!ActiveOrderStatus.safeParse(order.status).success) return false;
  return order.expiresAt.getTime() > now.getTime();
}

/**
 * The local projection of orders, from order events in version order. OrderCreated (v1) inserts;
 * OrderCancelled and OrderCompleted are final states, so a final event is applied on top of any
 * older version (a version the orders subgraph did not announce cannot hold us up), while an
 * older or repeated one is dropped and one arriving before its OrderCreated waits.
 */
export async function applyOrderEvent(model: Model<OrderProjectionDoc>, event: OrderEvent): Promise<void> {
  if (event.type === 'OrderCreated') {
    const { ticketId, buyerId, priceCents, currency, expiresAt } = event.data;
    await applyInOrder(model.db.collection<OrderProjectionDoc>(model.collection.collectionName), event, {
      ticketId,
      buyerId,
      priceCents,
      currency,
      status: 'CREATED',
      expiresAt: new Date(expiresAt),
    });
    return;
  }
  const current = await model.findById(event.aggregateId, { version: 1 }).lean();
  if (!current) throw new RetryLater(`${event.type} of ${event.aggregateId} waits for OrderCreated`);
  if (checkVersion(current.version, event.aggregateVersion) === 'duplicate') return;
  const status = event.type === 'OrderCancelled' ? 'CANCELLED' : 'COMPLETE';
  await model.updateOne(
    { _id: event.aggregateId, version: { $lt: event.aggregateVersion } },
    { $set: { status, version: event.aggregateVersion } },
  );
}
