import type { SubgraphContext } from '@ticketing/kit/graphql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { OrderDoc } from './models';
import type { OrdersDeps } from './OrdersDeps';
import { toOrder } from './toOrder';
import { Order, User } from './types';

/** How many orders `User.orders` lists, newest first. */
export const USER_ORDERS_MAX = 200;

@Resolver(() => User)
export class UserOrdersResolver {
  constructor(private readonly deps: OrdersDeps) {}

  @FieldResolver(() => [Order], { description: "This user's orders, newest first; empty for anyone else." })
  async orders(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<Order[]> {
    if (ctx.identity?.userId !== user.id) return [];
    const docs = await this.deps.models.Orders.find({ buyerId: user.id }, { outbox: 0 })
      .sort({ createdAt: -1 })
      .limit(USER_ORDERS_MAX)
      .lean<OrderDoc[]>();
    return docs.map(toOrder);
  }
}
