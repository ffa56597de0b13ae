import 'reflect-metadata';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum OrderStatus {
  CREATED = 'CREATED',
  AWAITING_PAYMENT = 'AWAITING_PAYMENT',
  COMPLETE = 'COMPLETE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'CREATED → (AWAITING_PAYMENT) → COMPLETE, or → CANCELLED; nothing else.',
});

export enum OrderCancelReason {
  CANCELLED = 'cancelled',
  EXPIRED = 'expired',
  PAYMENT_FAILED = 'payment_failed',
}
registerEnumType(OrderCancelReason, { name: 'OrderCancelReason' });

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

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => Ticket)
  ticket!: Ticket;

  @Field(() => User)
  buyer!: User;

  @Field({ description: 'When the lock runs out unless the order is paid.' })
  expiresAt!: Date;

  @Field(() => Float, { description: "The ticket's price when the order was made." })
  price!: number;

  @Field(() => OrderCancelReason, { nullable: true, description: 'Why it was cancelled, when it was.' })
  cancelReason!: OrderCancelReason | null;

  @Field(() => Int)
  version!: number;

  @Field()
  createdAt!: Date;
}
