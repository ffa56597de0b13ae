import {
  type ActiveOrderStatus,
  type DomainEvent,
  OrderCancelled,
  OrderCompleted,
  OrderPaymentUpdated,
  type VersionedChange,
  VersionedWriter,
} from '@ticketing/events';
import { KeyedMutex } from '@ticketing/kit';
import type { Types } from 'mongoose';
import { decideExpiry, fieldsAfter, isActive, type OrderTransition } from './decisions';
import type { LockDoc, OrderDoc, OrdersModels } from './models';

/**
 * Every change of an order and of its ticket's lock. Work on one ticket (its orders and its lock)
 * is serialised in this process, so the resolvers, the event handlers and the sweeper never
 * interleave writes to one document (FerretDB's updates are not atomic); across replicas each
 * order write is conditional on the version read (events' VersionedWriter).
 */
export class OrderLifecycle {
  private readonly mutex = new KeyedMutex();
  private readonly writer: VersionedWriter<OrderDoc>;

  constructor(
    private readonly models: OrdersModels,
    kickOutbox: () => void,
    private readonly now: () => Date,
  ) {
    this.writer = new VersionedWriter({ model: models.Orders, kickOutbox });
  }

  /** Runs `work` while holding the ticket's critical section. */
  exclusive<T>(ticketId: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(ticketId, work);
  }

  /**
   * Reads the order and asks `decide` what to do: a transition, null for nothing, or an Error to
   * throw. Returns the order as it ends, or null when there is none.
   */
  async transition(
    orderId: Types.ObjectId,
    decide: (doc: OrderDoc) => OrderTransition | null | Error,
  ): Promise<OrderDoc | null> {
    // Read once: for its ticket (the critical section's key), and as the writer's first copy.
    const found = await this.models.Orders.findById(orderId, { outbox: 0 }).lean<OrderDoc>();
    if (!found) return null;
    return this.exclusive(found.ticketId, async () => {
      let moved = false;
      const decideOn = (doc: OrderDoc) => {
        const decision = decide(doc);
        moved = decision !== null && !(decision instanceof Error);
        if (!decision || decision instanceof Error) return decision;
        if (!isActive(doc.status)) return new Error(`order ${doc._id} is ${doc.status}: final`);
        return changeFor(doc, decision);
      };
      const next = await this.writer.change(orderId, decideOn, found);
      if (next && moved) await this.settleLock(next);
      return next;
    });
  }

  /** Cancels with reason `expired` unless the order is complete or cancelled already. */
  expire(orderId: Types.ObjectId, onlyIfDue = false): Promise<OrderDoc | null> {
    return this.transition(orderId, (doc) => decideExpiry(doc, this.now(), onlyIfDue));
  }

  /**
   * Deletes a lock whose order is cancelled, or missing for longer than `orphanGraceMs` (the
   * process died between taking the lock and writing the order). Returns true when released.
   */
  releaseIfStale(lock: LockDoc, orphanGraceMs: number): Promise<boolean> {
    return this.exclusive(lock._id, async () => {
      const order = await this.models.Orders.findById(lock.orderId, { status: 1 }).lean<
        Pick<OrderDoc, 'status'>
      >();
      if (order?.status === 'COMPLETE') {
        await this.models.locks.updateOne({ _id: lock._id, orderId: lock.orderId }, { $set: { sold: true } });
        return false;
      }
      const orphan = !order && this.now().getTime() - lock.at.getTime() >= orphanGraceMs;
      if (order?.status !== 'CANCELLED' && !orphan) return false;
      const result = await this.models.locks.deleteOne({ _id: lock._id, orderId: lock.orderId });
      return result.deletedCount === 1;
    });
  }

  /**
   * A cancelled order frees its ticket (only if it still holds the lock); a completed one keeps it,
   * sold. Either way a final order frees its buyer's slot (BuyerSlots).
   */
  private async settleLock(doc: OrderDoc) {
    const orderId = doc._id.toHexString();
    const filter = { _id: doc.ticketId, orderId };
    if (doc.status === 'CANCELLED') await this.models.locks.deleteOne(filter);
    else if (doc.status === 'COMPLETE') await this.models.locks.updateOne(filter, { $set: { sold: true } });
    if (doc.slot && !isActive(doc.status)) await this.models.slots.deleteOne({ _id: doc.slot, orderId });
  }
}

/** The fields a transition sets, and the event announcing it (a settled attempt alone is not announced). */
function changeFor(doc: OrderDoc, t: OrderTransition): VersionedChange<OrderDoc> {
  const set = fieldsAfter(doc, t);
  switch (t.status) {
    case 'AWAITING_PAYMENT':
      return { set, events: (next) => [paymentUpdated(next, t.status, t.attemptId)] };
    case 'CREATED':
      return { set, events: (next) => [paymentUpdated(next, t.status, t.settled)] };
    case 'UNCHANGED':
      return { set, events: () => [] };
    default:
      return { set, events: (next) => [finalEvent(next)] };
  }
}

function paymentUpdated(next: OrderDoc, status: ActiveOrderStatus, paymentId: string): DomainEvent {
  return OrderPaymentUpdated.create({
    aggregateId: next._id.toHexString(),
    aggregateVersion: next.version,
    data: { ticketId: next.ticketId, buyerId: next.buyerId, status, paymentId },
  });
}

function finalEvent(next: OrderDoc): DomainEvent {
  const common = { aggregateId: next._id.toHexString(), aggregateVersion: next.version };
  if (next.status === 'COMPLETE') {
    return OrderCompleted.create({
      ...common,
      data: { ticketId: next.ticketId, buyerId: next.buyerId, paymentId: next.paymentId ?? '' },
    });
  }
  return OrderCancelled.create({
    ...common,
    data: { ticketId: next.ticketId, buyerId: next.buyerId, reason: next.cancelReason ?? 'cancelled' },
  });
}
