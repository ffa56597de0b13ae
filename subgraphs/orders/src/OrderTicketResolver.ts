import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { OrdersDeps } from './OrdersDeps';
import { type TicketSeen, ticketSeenByCopy, ticketSeenByOrder } from './ticketSeenByOrder';
import { Ticket } from './types';

/** The status and reservedUntil that Order.ticket provides (see ticketSeenByOrder). */
@Resolver(() => Ticket)
export class OrderTicketResolver {
  constructor(private readonly deps: OrdersDeps) {}

  @FieldResolver()
  async status(@Root() ticket: Ticket): Promise<TicketSeen['status']> {
    return (await this.seen(ticket)).status;
  }

  @FieldResolver()
  async reservedUntil(@Root() ticket: Ticket): Promise<Date | null> {
    return (await this.seen(ticket)).reservedUntil;
  }

  /** By the order when it says; else by orders' copy (held in memory, see TicketCopies). */
  private async seen(ticket: Ticket): Promise<TicketSeen> {
    const byOrder = ticket.order && ticketSeenByOrder(ticket.order, this.deps.now());
    return byOrder ?? ticketSeenByCopy(await this.deps.ticketCopies.get(ticket.id));
  }
}
