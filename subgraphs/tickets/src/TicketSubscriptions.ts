import { servedByGateway } from '@ticketing/kit/graphql';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Ticket } from './types';

/**
 * Live ticket status, declared here because tickets owns the data; the gateway serves these over
 * graphql-ws on /graphql, so a payload may select fields of any subgraph.
 */
@Resolver()
export class TicketSubscriptions {
  @Subscription(() => Ticket, {
    description: 'One ticket, each time it is locked, unlocked, sold or edited. Open to anyone.',
    subscribe: servedByGateway,
  })
  ticketChanged(@Arg('id', () => ID) _id: string, @Root() ticket: Ticket): Ticket {
    return ticket;
  }

  @Subscription(() => Ticket, {
    description:
      'Every listing change (a new listing, a lock, an unlock, a sale, an edit), for listing pages.',
    subscribe: servedByGateway,
  })
  ticketsChanged(@Root() ticket: Ticket): Ticket {
    return ticket;
  }
}
