import {
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  notFound,
  type SubgraphContext,
  unauthenticated,
} from '@ticketing/kit/graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { orderStatusAfter } from './orderStatusAfter';
import type { PaymentsDeps } from './PaymentsDeps';
import { Order, Payment, toOrder, toPayment } from './types';

@Resolver(() => Payment)
export class PaymentResolver {
  constructor(private readonly deps: PaymentsDeps) {}

  @Mutation(() => Payment, {
    description:
      'Pays an order with a Stripe PaymentMethod (e.g. "pm_card_visa"); only its buyer. A decline is ' +
      'BAD_USER_INPUT on paymentMethodId with the reason; the buyer may try again while the lock lasts.',
  })
  async payOrder(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('paymentMethodId') paymentMethodId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Payment> {
    if (!ctx.identity) throw unauthenticated();
    const key = idempotencyKeyOf(ctx, idempotencyKey);
    return toPayment(await this.deps.payOrder.run(ctx.identity.userId, orderId, paymentMethodId, key));
  }

  @Query(() => Payment, { nullable: true, description: 'A payment; only to the buyer who made it.' })
  async payment(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Payment | null> {
    if (!ctx.identity) throw unauthenticated();
    const doc = id.length <= 100 ? await this.deps.models.Payments.findById(id).lean() : null;
    if (!doc || doc.buyerId !== ctx.identity.userId) throw notFound('Payment');
    return toPayment(doc);
  }

  /**
   * The order, with its status as this payment leaves it: payOrder's answer shows the order paid
   * (COMPLETE) although orders hears of the charge only by event, a moment later.
   */
  @FieldResolver(() => Order)
  @Directive('@provides(fields: "status")')
  async order(@Root() payment: Payment): Promise<Order> {
    const projected = await this.deps.models.Orders.findById(payment.orderId, { status: 1 }).lean();
    return Object.assign(toOrder(payment.orderId), {
      status: orderStatusAfter(payment.status, projected?.status ?? null),
    });
  }
}
