import { isDuplicateKeyError } from '@ticketing/kit';
import { conflict, forbidden, notFound, type SubgraphContext, unauthenticated } from '@ticketing/kit/graphql';
import { Types } from 'mongoose';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { decideCancellation } from './decisions';
import { cooldownLeft, reorderTooSoon, tooManyActiveOrders } from './hoarding';
import type { OrderDoc, TicketCopy } from './models';
import { newOrder } from './newOrder';
import type { OrdersDeps } from './OrdersDeps';
import { objectId } from './objectId';
import { SingleFlight } from './SingleFlight';
import { toOrder } from './toOrder';
import { Order } from './types';

const reserved = () => conflict('The ticket is reserved or sold');

@Resolver(() => Order)
export class OrderResolver {
  private readonly ticketReads = new SingleFlight<TicketCopy | null>();
  private readonly lockAttempts = new SingleFlight<OrderDoc | 'taken' | Error>();

  constructor(private readonly deps: OrdersDeps) {}

  @Query(() => Order, { nullable: true, description: 'Only the buyer sees an order.' })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Order | null> {
    const userId = ctx.identity?.userId;
    if (!userId) throw unauthenticated();
    const _id = objectId(id);
    const doc = _id && (await this.deps.models.Orders.findById(_id, { outbox: 0 }).lean<OrderDoc>());
    if (!doc) throw notFound('Order');
    if (doc.buyerId !== userId) throw forbidden('Only the buyer can see this order');
    return toOrder(doc);
  }

  @Mutation(() => Order, {
    description: 'Locks the ticket for the buyer until expiresAt. API keys may call it (they may buy).',
  })
  async createOrder(
    @Arg('ticketId', () => ID) ticketId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Order> {
    const buyerId = ctx.identity?.userId;
    if (!buyerId) throw unauthenticated();
    // Concurrent buyers of one ticket share one read of it, and one attempt at its lock: while an
    // attempt runs here, the others wait for it and get CONFLICT if it took the lock or found it
    // taken. Only when it failed otherwise do they try themselves.
    const { value: ticket } = await this.ticketReads.run(ticketId, () => this.readTicket(ticketId));
    if (!ticket) throw notFound('Ticket');
    if (ticket.sellerId === buyerId) throw forbidden('You cannot buy your own ticket');
    const cooldown = await this.deps.models.cooldowns.findOne({ _id: `${buyerId}:${ticketId}` });
    const wait = cooldownLeft(cooldown?.until, this.deps.now());
    if (wait > 0) throw reorderTooSoon(wait);
    for (;;) {
      const attempt = await this.lockAttempts.run(ticketId, () =>
        this.tryToOrder(ticket, buyerId).catch((err: unknown) =>
          err instanceof Error ? err : new Error(String(err)),
        ),
      );
      if (attempt.value === 'taken') throw reserved();
      if (attempt.leader) {
        if (attempt.value instanceof Error) throw attempt.value;
        return toOrder(attempt.value);
      }
      if (!(attempt.value instanceof Error)) throw reserved(); // the leader took it
    }
  }

  private readTicket(ticketId: string): Promise<TicketCopy | null> {
    return this.deps.models.tickets.findOne({ _id: ticketId });
  }

  /**
   * Takes one of the buyer's slots and the ticket's lock and writes the order, or says the ticket
   * is taken (an Error when the buyer holds too many active orders: only this buyer's attempt fails).
   */
  private async tryToOrder(ticket: TicketCopy, buyerId: string): Promise<OrderDoc | 'taken' | Error> {
    const { models, lifecycle, slots } = this.deps;
    const ticketId = ticket._id;
    // Without a write while the ticket is held (the common case under contention).
    if (await models.locks.findOne({ _id: ticketId }, { projection: { _id: 1 } })) return 'taken';
    const _id = new Types.ObjectId();
    const orderId = _id.toHexString();
    const now = this.deps.now();
    const slot = await slots.claim(buyerId, orderId);
    if (!slot) return tooManyActiveOrders(this.deps.maxActivePerBuyer);
    // The decision: one insert on a unique key. Of any number of concurrent buyers, one succeeds.
    try {
      await models.locks.insertOne({ _id: ticketId, orderId, at: now, sold: false });
    } catch (err) {
      await slots.release(slot, orderId);
      if (isDuplicateKeyError(err)) return 'taken';
      return err as Error;
    }
    const expiresAt = new Date(now.getTime() + this.deps.expirationSeconds * 1000);
    const doc: OrderDoc = {
      ...newOrder({ _id, ticketId, buyerId, priceCents: ticket.priceCents, expiresAt, createdAt: now }),
      slot,
    };
    try {
      await models.Orders.create(doc);
    } catch (err) {
      await models.locks.deleteOne({ _id: ticketId, orderId });
      await slots.release(slot, orderId);
      return err as Error;
    }
    this.deps.kickOutbox();
    // Had this process stalled past the orphan grace, the sweeper may have freed the lock meanwhile.
    const lock = await models.locks.findOne({ _id: ticketId });
    if (lock?.orderId !== orderId) {
      await lifecycle.transition(_id, () => ({ status: 'CANCELLED', reason: 'cancelled' }));
      return 'taken';
    }
    return doc;
  }

  @Mutation(() => Order, {
    description:
      'Cancels an unpaid order and frees its ticket; only the buyer. API keys may call it (they may buy).',
  })
  async cancelOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Order> {
    const userId = ctx.identity?.userId;
    if (!userId) throw unauthenticated();
    const _id = objectId(id);
    const doc =
      _id && (await this.deps.lifecycle.transition(_id, (current) => decideCancellation(current, userId)));
    if (!doc) throw notFound('Order');
    const { reorderCooldownSeconds, models, now } = this.deps;
    if (doc.status === 'CANCELLED' && doc.cancelReason === 'cancelled' && reorderCooldownSeconds > 0) {
      // Cancel-and-reorder would let one buyer hold a ticket forever, a fresh expiry each time.
      const until = new Date(now().getTime() + reorderCooldownSeconds * 1000);
      await models.cooldowns.updateOne(
        { _id: `${userId}:${doc.ticketId}` },
        { $set: { until } },
        { upsert: true },
      );
    }
    return toOrder(doc);
  }
}
