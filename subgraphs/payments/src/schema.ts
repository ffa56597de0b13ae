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
        __resolveReference: batchedReference(async (id: string, ctx: SubgraphContext) => {
          if (!deps || !ctx.identity) return null;
          // By _id alone (an index on every backend); whose it is is checked here.
          const doc = await deps.models.Payments.findById(id, { outbox: 0 }).lean();
          return doc?.buyerId === ctx.identity.userId ? toPayment(doc) : null;
        }),
      },
    },
  });
}
