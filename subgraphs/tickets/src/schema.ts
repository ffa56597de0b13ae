import 'reflect-metadata';
import {
  batchedReference,
  buildFederatedSchema,
  instanceContainer,
  type SubgraphContext,
} from '@ticketing/kit/graphql';
import type { GraphQLSchema } from 'graphql';
import { findTicket, TicketResolver } from './TicketResolver';
import { TicketSubscriptions } from './TicketSubscriptions';
import type { TicketsDeps } from './TicketsDeps';
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
        __resolveReference: batchedReference(async (id: string, _ctx: SubgraphContext) =>
          deps ? findTicket(deps, id) : null,
        ),
      },
    },
  });
}
