import 'reflect-metadata';
import { OrderStatus } from '@ticketing/events';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PAYMENT_STATUSES, type PaymentDoc, type PaymentStatus } from './models';

const PaymentStatusEnum = Object.fromEntries(PAYMENT_STATUSES.map((s) => [s, s])) as {
  [S in PaymentStatus]: S;
};
registerEnumType(PaymentStatusEnum, { name: 'PaymentStatus' });

// The orders subgraph's enum (the catalogue's values): Payment.order provides an order's status.
const OrderStatusEnum = OrderStatus.enum;
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description:
    'CREATED ⇄ AWAITING_PAYMENT while a payment attempt is in flight, then COMPLETE or CANCELLED; nothing else.',
});

/** An order, as far as payments knows it: the orders subgraph owns every other field. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Order {
  @Field(() => ID)
  id!: string;

  /** Owned by orders; given here only through Payment.order (@provides), as this payment leaves it. */
  @Field(() => OrderStatusEnum)
  @Directive('@external')
  status?: OrderStatus;
}

@ObjectType({ description: "One attempt to pay an order with Stripe; only the order's buyer sees it." })
@Directive('@key(fields: "id")')
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => PaymentStatusEnum)
  status!: PaymentStatus;

  @Field(() => Float, { description: 'In the currency unit (e.g. dollars); charged as integer cents.' })
  amount!: number;

  @Field(() => String, { nullable: true, description: "Stripe's PaymentIntent id." })
  stripeId!: string | null;

  @Field(() => String, { nullable: true, description: "Stripe's Refund id, once refunded." })
  stripeRefundId!: string | null;

  /** Not GraphQL fields: `order` is resolved from it; `buyerId` decides who may see the payment. */
  orderId!: string;
  buyerId!: string;
}

export const toPayment = (doc: Omit<PaymentDoc, 'outbox'>): Payment =>
  Object.assign(new Payment(), {
    id: doc._id,
    status: doc.status,
    // Cents to units once, for display: an integer divided by 100 is exact to the cent.
    amount: doc.amountCents / 100,
    stripeId: doc.stripeId ?? null,
    stripeRefundId: doc.stripeRefundId ?? null,
    orderId: doc.orderId,
    buyerId: doc.buyerId,
  });

export const toOrder = (id: string): Order => Object.assign(new Order(), { id });
