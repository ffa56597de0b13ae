import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { OrderPaymentResolver } from './OrderPaymentResolver';
import { PaymentResolver } from './PaymentResolver';
import type { PaymentsDeps } from './PaymentsDeps';
import { toOrder, toPayment } from './types';

/** The payments subgraph schema; `deps` may be omitted only to print the SDL. */
export function buildPaymentsSchema(deps?: PaymentsDeps): Promise<GraphQLSchema> {
  const resolvers = deps ? [new PaymentResolver(deps), new OrderPaymentResolver(deps)] : [];
  return buildFederatedSchema({
    resolvers: [PaymentResolver, OrderPaymentResolver],
    container: instanceContainer(resolvers),
    referenceResolvers: {
      // Payments contributes Order.payment; the order itself lives in the orders subgraph.
      Order: {
        __resolveReference: (ref: { id?: unknown }) => (typeof ref.id === 'string' ? toOrder(ref.id) : null),
      },
      Payment: {
        __resolveReference: batchedReference(async (ids: string[], ctx: SubgraphContext) => {
          if (!deps || !ctx.identity) return [];
          const docs = await deps.models.Payments.find(
            { _id: { $in: ids }, buyerId: ctx.identity.userId },
            { outbox: 0 },
          ).lean();
          return docs.map(toPayment);
        }),
      },
    },
  });
}
