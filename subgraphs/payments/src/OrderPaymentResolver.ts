import { BatchLoader, type SubgraphContext } from '@ticketing/kit/graphql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { PaymentDoc } from './models';
import type { PaymentsDeps } from './PaymentsDeps';
import { Order, Payment, toPayment } from './types';

type PaymentRow = Omit<PaymentDoc, 'outbox'>;

/** The payment that counts for an order: the settled one if any, else the latest attempt. */
function pick(payments: PaymentRow[]): PaymentRow | null {
  const settled = payments.find((p) => p.status === 'COMPLETED' || p.status === 'REFUNDED');
  return settled ?? payments.reduce<PaymentRow | null>((a, p) => (!a || p.attempt > a.attempt ? p : a), null);
}

/** The payments side of the Order entity: `Order.payment`. */
@Resolver(() => Order)
export class OrderPaymentResolver {
  /** One query for every Order.payment of a request (DataLoader-style), nothing cached across requests. */
  private readonly loaders = new WeakMap<object, BatchLoader<string, PaymentRow>>();

  constructor(private readonly deps: PaymentsDeps) {}

  @FieldResolver(() => Payment, { nullable: true, description: "The order's payment; only to its buyer." })
  async payment(@Root() order: Order, @Ctx() ctx: SubgraphContext): Promise<Payment | null> {
    if (!ctx.identity) return null;
    const doc = await this.loader(ctx).load(order.id);
    return doc && doc.buyerId === ctx.identity.userId ? toPayment(doc) : null;
  }

  private loader(ctx: SubgraphContext): BatchLoader<string, PaymentRow> {
    let loader = this.loaders.get(ctx);
    if (!loader) {
      loader = new BatchLoader(async (orderIds) => {
        const docs = await this.deps.models.Payments.find(
          { orderId: { $in: orderIds } },
          { outbox: 0 },
        ).lean();
        return orderIds.map((id) => pick(docs.filter((d) => d.orderId === id)));
      });
      this.loaders.set(ctx, loader);
    }
    return loader;
  }
}
