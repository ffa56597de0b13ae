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
  /** Every Order.payment of a request in one batch (DataLoader-style), nothing cached across requests. */
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
      // One equality find per order, in parallel: `{orderId}` is served from an index on every
      // backend, one `$in` over all of them is a full read on FerretDB (issue 13).
      loader = new BatchLoader((orderIds) =>
        Promise.all(
          orderIds.map(async (orderId) =>
            pick(await this.deps.models.Payments.find({ orderId }, { outbox: 0 }).lean()),
          ),
        ),
      );
      this.loaders.set(ctx, loader);
    }
    return loader;
  }
}
