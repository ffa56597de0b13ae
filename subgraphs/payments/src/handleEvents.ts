import { type EventOf, OrderCancelled, OrderCompleted, OrderCreated } from '@ticketing/events';
import type { PaymentsModels } from './models';
import { applyOrderEvent } from './OrderProjection';
import type { PaymentLedger } from './PaymentLedger';

/** The events the payments service consumes (its durable consumer subscribes to these). */
export const consumedEvents = [OrderCreated, OrderCancelled, OrderCompleted] as const;
type Consumed = EventOf<(typeof consumedEvents)[number]>;

/** The payments service's handler: order events feed its projection; a cancellation refunds a late payment. */
export function handleEvents(models: PaymentsModels, ledger: PaymentLedger) {
  return async (event: Consumed): Promise<void> => {
    await applyOrderEvent(models.Orders, event);
    // After the projection says CANCELLED (see PaymentLedger.succeed for the other half).
    if (event.type === 'OrderCancelled') await ledger.orderCancelled(event.aggregateId);
  };
}
