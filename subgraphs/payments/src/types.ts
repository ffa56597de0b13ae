import 'reflect-metadata';
import { OrderStatus } from '@ticketing/events';
import { Money, toMoney } from '@ticketing/kit/graphql';
import { storedCurrency, toDeprecatedFloat } from '@ticketing/kit/money';
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

  @Field(() => Float, {
    description: "What was charged, as a float of its currency's major unit.",
    deprecationReason:
      'A float cannot hold every amount exactly and names no currency. Use amountMoney: an exact decimal amount with its currencyCode.',
  })
  amount!: number;

  @Field(() => Money, {
    description:
      "What was charged (the order's price), exact, with its currency: Stripe is asked for it in minor units.",
  })
  amountMoney!: Money;

  @Field(() => String, { nullable: true, description: "Stripe's PaymentIntent id." })
  stripeId!: string | null;

  @Field(() => String, { nullable: true, description: "Stripe's Refund id, once refunded." })
  stripeRefundId!: string | null;

  /** Not GraphQL fields: `order` is resolved from it; `buyerId` decides who may see the payment. */
  orderId!: string;
  buyerId!: string;
}

export function toPayment(doc: Omit<PaymentDoc, 'outbox'>): Payment {
  const currency = storedCurrency(doc.currency);
  return Object.assign(new Payment(), {
    id: doc._id,
    status: doc.status,
    amount: toDeprecatedFloat(doc.amountCents, currency),
    amountMoney: toMoney(doc.amountCents, currency),
    stripeId: doc.stripeId ?? null,
    stripeRefundId: doc.stripeRefundId ?? null,
    orderId: doc.orderId,
    buyerId: doc.buyerId,
  });
}

export const toOrder = (id: string): Order => Object.assign(new Order(), { id });
