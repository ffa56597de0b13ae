import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import type { OrderDoc } from './models';
import { OrderResolver } from './OrderResolver';
import { OrderSubscriptions } from './OrderSubscriptions';
import type { OrdersDeps } from './OrdersDeps';
import { OrderTicketResolver } from './OrderTicketResolver';
import { objectId } from './objectId';
import { toOrder } from './toOrder';
import { UserOrdersResolver } from './UserOrdersResolver';

/** The orders subgraph schema; `deps` may be omitted only to print the SDL. */
export function buildOrdersSchema(deps?: OrdersDeps): Promise<GraphQLSchema> {
  const resolvers = deps
    ? [
        new OrderResolver(deps),
        new UserOrdersResolver(deps),
        new OrderSubscriptions(),
        new OrderTicketResolver(deps),
      ]
    : [];
  return buildFederatedSchema({
    resolvers: [OrderResolver, UserOrdersResolver, OrderSubscriptions, OrderTicketResolver],
    container: instanceContainer(resolvers),
    referenceResolvers: {
      // An order reached through another subgraph (e.g. Payment.order) is still only the buyer's.
      Order: {
        __resolveReference: batchedReference(async (id: string, ctx: SubgraphContext) => {
          const buyerId = ctx.identity?.userId;
          const _id = objectId(id);
          if (!deps || !buyerId || !_id) return null;
          // By _id alone (an index on every backend); whose it is is checked here.
          const doc = await deps.models.Orders.findById(_id, { outbox: 0 }).lean<OrderDoc>();
          return doc?.buyerId === buyerId ? toOrder(doc) : null;
        }),
      },
    },
  });
}
