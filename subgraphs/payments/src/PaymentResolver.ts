import {
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  notFound,
  type SubgraphContext,
  unauthenticated,
} from '@ticketing/kit/graphql';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
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

  @FieldResolver(() => Order)
  order(@Root() payment: Payment): Order {
    return toOrder(payment.orderId);
  }
}
