import 'reflect-metadata';
import { CancelReason, OrderStatus } from '@ticketing/events';
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

/** A ticket, owned by tickets; orders only refers to it. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Ticket {
  @Field(() => ID)
  id!: string;
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

  @Field(() => OrderStatusEnum)
  status!: OrderStatus;

  @Field(() => Ticket)
  ticket!: Ticket;

  @Field(() => User)
  buyer!: User;

  @Field({ description: 'When the lock runs out unless the order is paid.' })
  expiresAt!: Date;

  @Field(() => Float, { description: "The ticket's price when the order was made." })
  price!: number;

  @Field(() => OrderCancelReasonEnum, { nullable: true, description: 'Why it was cancelled, when it was.' })
  cancelReason!: CancelReason | null;

  @Field(() => Int)
  version!: number;

  @Field()
  createdAt!: Date;
}
