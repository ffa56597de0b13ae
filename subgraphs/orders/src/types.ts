import 'reflect-metadata';
import { CancelReason, OrderStatus, TicketStatus } from '@ticketing/events';
import { Money } from '@ticketing/kit/graphql';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

// The GraphQL enums are registered from the catalogue's values, the one definition of each.
const OrderStatusEnum = OrderStatus.enum;
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description:
    'CREATED ⇄ AWAITING_PAYMENT while a payment attempt is in flight, then COMPLETE or CANCELLED; nothing else.',
});

/** The API names reasons in capitals (CANCELLED = "cancelled"); the values are the catalogue's. */
const OrderCancelReasonEnum = Object.fromEntries(CancelReason.options.map((v) => [v.toUpperCase(), v])) as {
  [R in CancelReason as Uppercase<R>]: R;
};
registerEnumType(OrderCancelReasonEnum, { name: 'OrderCancelReason' });

// The tickets subgraph's enum (the catalogue's values): Order.ticket provides a ticket's status.
const TicketStatusEnum = TicketStatus.enum;
registerEnumType(TicketStatusEnum, {
  name: 'TicketStatus',
  description:
    'AVAILABLE to buy; RESERVED while an order holds it; SOLD once paid; WITHDRAWN once its seller took it off sale.',
});

/**
 * A ticket, owned by tickets; orders only refers to it, and gives its status and reservedUntil
 * through Order.ticket (@provides) as the order leaves them: a fresh order's ticket is RESERVED
 * although tickets hears of the order only by event, a moment later.
 */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Ticket {
  @Field(() => ID)
  id!: string;

  @Field(() => TicketStatusEnum)
  @Directive('@external')
  status?: TicketStatus;

  @Field(() => Date, { nullable: true })
  @Directive('@external')
  reservedUntil?: Date | null;

  /** Not GraphQL fields: what the order says of its ticket (see ticketSeenByOrder). */
  order?: { id: string; status: OrderStatus; expiresAt: Date };
}

/** An account, owned by users; this subgraph contributes `orders`. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "A buyer's order: it locks the ticket until expiresAt while they pay." })
@Directive('@key(fields: "id")')
export class Order {
  @Field(() => ID)
  id!: string;

  // Shareable: payments provides it through Payment.order, as the payment leaves it.
  @Field(() => OrderStatusEnum)
  @Directive('@shareable')
  status!: OrderStatus;

  @Field(() => Ticket)
  @Directive('@provides(fields: "status reservedUntil")')
  ticket!: Ticket;

  @Field(() => User)
  buyer!: User;

  @Field({ description: 'When the lock runs out unless the order is paid.' })
  expiresAt!: Date;

  @Field(() => Float, {
    description: "The ticket's price when the order was made, as a float of its currency's major unit.",
    deprecationReason:
      'A float cannot hold every price exactly and names no currency. Use priceMoney: an exact decimal amount with its currencyCode.',
  })
  price!: number;

  @Field(() => Money, {
    description: "The ticket's price when the order was made, exact, with its currency.",
  })
  priceMoney!: Money;

  @Field(() => OrderCancelReasonEnum, { nullable: true, description: 'Why it was cancelled, when it was.' })
  cancelReason!: CancelReason | null;

  @Field(() => Int)
  version!: number;

  @Field()
  createdAt!: Date;
}
