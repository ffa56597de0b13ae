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
        __resolveReference: batchedReference(async (id: string, _ctx: SubgraphContext) => {
          const _id = objectId(id);
          if (!deps || !_id) return null;
          const doc = await deps.models.Tickets.findById(_id, {
            outbox: 0,
            closedOrderIds: 0,
          }).lean<TicketDoc>();
          return doc ? toTicket(doc) : null;
        }),
      },
    },
  });
}
