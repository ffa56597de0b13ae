import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { TicketDoc } from './models';
import type { TicketsDeps } from './TicketsDeps';
import { toTicket } from './toTicket';
import { Ticket, User } from './types';

/** How many of a seller's tickets `User.tickets` lists, newest first. */
export const USER_TICKETS_MAX = 200;

@Resolver(() => User)
export class UserTicketsResolver {
  constructor(private readonly deps: TicketsDeps) {}

  @FieldResolver(() => [Ticket], { description: 'Tickets this user listed, newest first.' })
  async tickets(@Root() user: User): Promise<Ticket[]> {
    const docs = await this.deps.models.Tickets.find({ sellerId: user.id }, { outbox: 0, closedOrderIds: 0 })
      .sort({ createdAt: -1 })
      .limit(USER_TICKETS_MAX)
      .lean<TicketDoc[]>();
    return docs.map(toTicket);
  }
}
