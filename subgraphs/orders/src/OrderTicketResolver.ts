import { BatchLoader, type SubgraphContext } from '@ticketing/kit/graphql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { TicketCopy } from './models';
import type { OrdersDeps } from './OrdersDeps';
import { type TicketSeen, ticketSeenByCopy, ticketSeenByOrder } from './ticketSeenByOrder';
import { Ticket } from './types';

/** The status and reservedUntil that Order.ticket provides (see ticketSeenByOrder). */
@Resolver(() => Ticket)
export class OrderTicketResolver {
  /** Copies read once per ticket and request (by `_id`, an index on every backend). */
  private readonly loaders = new WeakMap<object, BatchLoader<string, TicketCopy>>();

  constructor(private readonly deps: OrdersDeps) {}

  @FieldResolver()
  async status(@Root() ticket: Ticket, @Ctx() ctx: SubgraphContext): Promise<TicketSeen['status']> {
    return (await this.seen(ticket, ctx)).status;
  }

  @FieldResolver()
  async reservedUntil(@Root() ticket: Ticket, @Ctx() ctx: SubgraphContext): Promise<Date | null> {
    return (await this.seen(ticket, ctx)).reservedUntil;
  }

  private async seen(ticket: Ticket, ctx: SubgraphContext): Promise<TicketSeen> {
    const byOrder = ticket.order && ticketSeenByOrder(ticket.order, this.deps.now());
    return byOrder ?? ticketSeenByCopy(await this.loader(ctx).load(ticket.id));
  }

  private loader(ctx: SubgraphContext): BatchLoader<string, TicketCopy> {
    let loader = this.loaders.get(ctx);
    if (!loader) {
      loader = new BatchLoader<string, TicketCopy>((ids) =>
        Promise.all(ids.map((_id) => this.deps.models.tickets.findOne({ _id }))),
      );
      this.loaders.set(ctx, loader);
    }
    return loader;
  }
}
