import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import type { TicketDoc } from './models';
import { objectId, TicketResolver } from './TicketResolver';
import { TicketSubscriptions } from './TicketSubscriptions';
import type { TicketsDeps } from './TicketsDeps';
import { toTicket } from './toTicket';
import { UserTicketsResolver } from './UserTicketsResolver';

/** The tickets subgraph schema; `deps` may be omitted only to print the SDL. */
export function buildTicketsSchema(deps?: TicketsDeps): Promise<GraphQLSchema> {
  const resolvers = deps
    ? [new TicketResolver(deps), new UserTicketsResolver(deps), new TicketSubscriptions()]
    : [];
  return buildFederatedSchema({
    resolvers: [TicketResolver, UserTicketsResolver, TicketSubscriptions],
    container: instanceContainer(resolvers),
    referenceResolvers: {
      Ticket: {
        __resolveReference: batchedReference(async (ids: string[], _ctx: SubgraphContext) => {
          if (!deps) return [];
          const valid = ids.map(objectId).filter((id) => id !== null);
          const docs = await deps.models.Tickets.find(
            { _id: { $in: valid } },
            { outbox: 0, closedOrderIds: 0 },
          ).lean<TicketDoc[]>();
          return docs.map(toTicket);
        }),
      },
    },
  });
}
