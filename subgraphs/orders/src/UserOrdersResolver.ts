import { badUserInput, type SubgraphContext, serviceBusy } from '@ticketing/kit/graphql';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { OrderDoc } from './models';
import type { OrdersDeps } from './OrdersDeps';
import { toOrder } from './toOrder';
import { Order, User } from './types';

/** How many orders `User.orders` lists when not asked, and at most. */
export const USER_ORDERS_DEFAULT = 20;
export const USER_ORDERS_MAX = 100;

@Resolver(() => User)
export class UserOrdersResolver {
  constructor(private readonly deps: OrdersDeps) {}

  @FieldResolver(() => [Order], { description: "This user's orders, newest first; empty for anyone else." })
  async orders(
    @Root() user: User,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: USER_ORDERS_DEFAULT,
      description: `How many, newest first; at most ${USER_ORDERS_MAX}.`,
    })
    first: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Order[]> {
    const limit = first ?? USER_ORDERS_DEFAULT;
    if (limit < 1 || limit > USER_ORDERS_MAX)
      throw badUserInput([{ field: 'first', message: `must be 1 to ${USER_ORDERS_MAX}` }]);
    if (ctx.identity?.userId !== user.id) return [];
    if (ctx.signal?.aborted) throw serviceBusy(); // the gateway has gone: no one reads the answer
    const docs = await this.deps.models.Orders.find({ buyerId: user.id }, { outbox: 0 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<OrderDoc[]>();
    return docs.map(toOrder);
  }
}
