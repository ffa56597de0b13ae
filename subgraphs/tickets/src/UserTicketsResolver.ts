import { badUserInput, type SubgraphContext, serviceBusy } from '@ticketing/kit/graphql';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { TicketDoc } from './models';
import type { TicketsDeps } from './TicketsDeps';
import { toTicket } from './toTicket';
import { Ticket, User } from './types';

/** How many of a seller's tickets `User.tickets` lists when not asked, and at most. */
export const USER_TICKETS_DEFAULT = 20;
export const USER_TICKETS_MAX = 100;

@Resolver(() => User)
export class UserTicketsResolver {
  constructor(private readonly deps: TicketsDeps) {}

  @FieldResolver(() => [Ticket], { description: 'Tickets this user listed, newest first.' })
  async tickets(
    @Root() user: User,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: USER_TICKETS_DEFAULT,
      description: `How many, newest first; at most ${USER_TICKETS_MAX}.`,
    })
    first: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Ticket[]> {
    const limit = first ?? USER_TICKETS_DEFAULT;
    if (limit < 1 || limit > USER_TICKETS_MAX)
      throw badUserInput([{ field: 'first', message: `must be 1 to ${USER_TICKETS_MAX}` }]);
    // One call per seller of an entity batch: once the gateway has gone, the rest are not read.
    if (ctx.signal?.aborted) throw serviceBusy();
    const docs = await this.deps.models.Tickets.find({ sellerId: user.id }, { outbox: 0, closedOrderIds: 0 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<TicketDoc[]>();
    return docs.map(toTicket);
  }
}
