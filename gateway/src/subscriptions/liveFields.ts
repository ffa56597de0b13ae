import type { DomainEvent } from '@ticketing/events';

/**
 * How each Subscription field of the supergraph is served: the events that trigger it (as topics),
 * and the Query field that resolves its payload through the supergraph, so a subscriber may select
 * fields of any subgraph.
 */
export interface LiveField {
  /** Query field taking `id: ID!` that returns the payload's type. */
  queryField: 'ticket' | 'order';
  /** Only the order's buyer may subscribe (checked at subscribe time). */
  buyerOnly: boolean;
  topic(args: Record<string, unknown>): string;
}

export const LIVE_FIELDS: Readonly<Record<string, LiveField>> = {
  ticketChanged: { queryField: 'ticket', buyerOnly: false, topic: (args) => `ticket:${String(args.id)}` },
  ticketsChanged: { queryField: 'ticket', buyerOnly: false, topic: () => 'tickets' },
  orderChanged: { queryField: 'order', buyerOnly: true, topic: (args) => `order:${String(args.id)}` },
};

export interface Trigger {
  topic: string;
  /** The id the payload query resolves. */
  entityId: string;
}

/** The topics an event concerns: a listing change, or a change of one order (payments included). */
export function triggersOf(event: DomainEvent): Trigger[] {
  const id = event.aggregateId;
  switch (event.type) {
    case 'TicketCreated':
      return [{ topic: 'tickets', entityId: id }];
    case 'TicketUpdated':
      return [
        { topic: `ticket:${id}`, entityId: id },
        { topic: 'tickets', entityId: id },
      ];
    case 'OrderCreated':
    case 'OrderPaymentUpdated':
    case 'OrderCancelled':
    case 'OrderCompleted':
      return [{ topic: `order:${id}`, entityId: id }];
    case 'ChargeCreated':
    case 'ChargeFailed':
    case 'ChargeRefunded': {
      const orderId = (event.data as { orderId: string }).orderId;
      return [{ topic: `order:${orderId}`, entityId: orderId }];
    }
    default:
      // Stryker disable next-line ArrayDeclaration: a trigger that is no object names no topic anyone watches
      return [];
  }
}
