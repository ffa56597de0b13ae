import { announceOutboxCommit } from '@ticketing/events';
import { isDuplicateKeyError } from '@ticketing/kit';
import {
  claimOrReplay,
  conflict,
  forbidden,
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  notFound,
  type SubgraphContext,
  unauthenticated,
} from '@ticketing/kit/graphql';
import { storedCurrency } from '@ticketing/kit/money';
import { Types } from 'mongoose';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { decideCancellation, mayBeLocked, mustRecheckLock } from './decisions';
import { cooldownLeft, reorderTooSoon, tooManyActiveOrders } from './hoarding';
import type { OrderDoc, TicketCopy } from './models';
import { newOrder } from './newOrder';
import type { OrdersDeps } from './OrdersDeps';
import { objectId } from './objectId';
import { SingleFlight } from './SingleFlight';
import { toOrder } from './toOrder';
import { Order } from './types';

const reserved = () => conflict('The ticket is reserved or sold');
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

@Resolver(() => Order)
export class OrderResolver {
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

  @Query(() => Int, {
    description:
      'How long createOrder holds a ticket for its buyer, in seconds: every new order expires this long after it is made.',
  })
  orderHoldSeconds(): number {
    return this.deps.expirationSeconds;
  }

  @Mutation(() => Order, {
    description: 'Locks the ticket for the buyer until expiresAt. API keys may call it (they may buy).',
  })
  async createOrder(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Order> {
    const buyerId = ctx.identity?.userId;
    if (!buyerId) throw unauthenticated();
    // A retry returns the first call's order, or (that call died or is still running) writes that
    // same order, never a second one.
    const claim = await claimOrReplay(
      this.deps.idempotency,
      {
        operation: 'createOrder',
        scope: buyerId,
        key: idempotencyKeyOf(ctx, idempotencyKey),
        input: { ticketId },
        resultId: new Types.ObjectId().toHexString(),
      },
      async ({ resultId }) => {
        const first = await this.deps.models.Orders.findById(new Types.ObjectId(resultId), {
          outbox: 0,
        }).lean<OrderDoc>();
        return first?.buyerId === buyerId ? toOrder(first) : null;
      },
    );
    if (claim.replayed) return claim.replayed;
    const orderId = new Types.ObjectId(claim.resultId);
    // Concurrent buyers of one ticket share one read of it, and one attempt at its lock: while an
    // attempt runs here, the others wait for it and get CONFLICT if it took the lock or found it
    // taken. Only when it failed otherwise do they try themselves.
    const [ticket, cooldown] = await Promise.all([
      this.deps.ticketCopies.get(ticketId),
      // No cooldown configured: none applies, so none is read.
      this.deps.reorderCooldownSeconds > 0 ? this.deps.cooldowns.findById(`${buyerId}:${ticketId}`) : null,
    ]);
    if (!ticket) throw notFound('Ticket');
    if (ticket.status === 'WITHDRAWN')
      throw conflict('The seller withdrew this ticket; it is no longer for sale');
    if (ticket.sellerId === buyerId) throw forbidden('You cannot buy your own ticket');
    const wait = cooldownLeft(cooldown?.until, this.deps.now());
    if (wait > 0) throw reorderTooSoon(wait);
    for (;;) {
      const attempt = await this.lockAttempts.run(ticketId, () =>
        this.tryToOrder(ticket, buyerId, orderId).catch((err: unknown) =>
          err instanceof Error ? err : new Error(String(err)),
        ),
      );
      if (attempt.value === 'taken') throw reserved();
      if (attempt.leader) {
        if (attempt.value instanceof Error) throw attempt.value;
        return toOrder(attempt.value);
      }
      if (attempt.value instanceof Error) continue;
      // The leader took it: for a concurrent call with the same idempotency key, that is this order.
      if (attempt.value._id.equals(orderId)) return toOrder(attempt.value);
      throw reserved();
    }
  }

  /**
   * Takes one of the buyer's slots and the ticket's lock and writes the order `_id`, or says the
   * ticket is taken (an Error when the buyer holds too many active orders: only this buyer's
   * attempt fails). A lock already held by `_id` is this order's: a retry with the same
   * idempotency key of a call that took it (and may have died before writing the order).
   */
  private async tryToOrder(
    ticket: TicketCopy,
    buyerId: string,
    _id: Types.ObjectId,
  ): Promise<OrderDoc | 'taken' | Error> {
    const { models, lifecycle, slots } = this.deps;
    const ticketId = ticket._id;
    const orderId = _id.toHexString();
    // When orders' copy says the ticket is held (the common case under contention), one read
    // refuses without a write. Otherwise the inserts go at once: they decide either way, and the
    // copy may be a moment behind in both directions.
    if (mayBeLocked(ticket)) {
      const held = await models.locks.findOne({ _id: ticketId }, { projection: { orderId: 1 } });
      if (held && held.orderId !== orderId) return 'taken';
    }
    const now = this.deps.now();
    // The slot and the lock at once; whichever is refused gives the other back.
    const [slot, lock] = await Promise.all([
      slots.claim(buyerId, orderId).catch(asError),
      this.takeLock(ticketId, orderId, now).catch(asError),
    ]);
    if (typeof slot !== 'string' || lock === 'taken' || lock instanceof Error) {
      if (typeof slot === 'string') await slots.release(slot, orderId);
      if (lock === 'new') await models.locks.deleteOne({ _id: ticketId, orderId });
      if (lock === 'taken' || lock instanceof Error) return lock;
      return slot instanceof Error ? slot : tooManyActiveOrders(this.deps.maxActivePerBuyer);
    }
    const expiresAt = new Date(now.getTime() + this.deps.expirationSeconds * 1000);
    const doc: OrderDoc = {
      ...newOrder({
        _id,
        ticketId,
        buyerId,
        priceCents: ticket.priceCents,
        currency: storedCurrency(ticket.currency),
        expiresAt,
        createdAt: now,
      }),
      slot,
    };
    try {
      await this.deps.inserts.orders.insert(doc);
    } catch (err) {
      // Written already by a call with the same idempotency key: that order, holding its own slot.
      const first = isDuplicateKeyError(err) && (await models.Orders.findById(_id).lean<OrderDoc>());
      if (first) {
        if (first.slot !== slot) await slots.release(slot, orderId);
        return first;
      }
      await models.locks.deleteOne({ _id: ticketId, orderId });
      await slots.release(slot, orderId);
      return err as Error;
    }
    // Stored: its relay publishes OrderCreated as written, without reading the order back.
    announceOutboxCommit(models.Orders.db, models.Orders.collection.collectionName, doc.outbox);
    const elapsedMs = this.deps.now().getTime() - now.getTime();
    const orphanGraceMs = this.deps.orphanGraceMs;
    if (!mustRecheckLock({ lockTakenEarlier: lock === 'ours', elapsedMs, orphanGraceMs })) return doc;
    const still = await models.locks.findOne({ _id: ticketId });
    if (still?.orderId !== orderId) {
      await lifecycle.transition(_id, () => ({ status: 'CANCELLED', reason: 'cancelled' }));
      return 'taken';
    }
    return doc;
  }

  /**
   * The decision: one insert on a unique key. Of any number of concurrent buyers, one gets 'new'.
   * 'ours': this order took it before (a retry with the same idempotency key).
   */
  private async takeLock(ticketId: string, orderId: string, at: Date): Promise<'new' | 'ours' | 'taken'> {
    try {
      await this.deps.inserts.locks.insert({ _id: ticketId, orderId, at, sold: false });
      return 'new';
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const held = await this.deps.models.locks.findOne({ _id: ticketId }, { projection: { orderId: 1 } });
      return held?.orderId === orderId ? 'ours' : 'taken';
    }
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
