import { type DomainEvent, OrderCancelled, OrderCompleted, withOutbox } from '@ticketing/events';
import { KeyedMutex } from '@ticketing/kit';
import type { Types } from 'mongoose';
import { ACTIVE, type CancelReasonValue, type LockDoc, type OrderDoc, type OrdersModels } from './models';

/** The only moves an order makes after creation; both are final. */
export type Transition =
  | { status: 'CANCELLED'; reason: CancelReasonValue }
  | { status: 'COMPLETE'; paymentId: string };

/**
 * Every change of an order and of its ticket's lock. Work on one ticket (its orders and its lock)
 * is serialised in this process, so the resolvers, the event handlers and the sweeper never
 * interleave writes to one document (FerretDB's updates are not atomic); across replicas each
 * write is conditional on the version read, which MongoDB applies atomically.
 */
export class OrderLifecycle {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly models: OrdersModels,
    private readonly kickOutbox: () => void,
  ) {}

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
    decide: (doc: OrderDoc) => Transition | null | Error,
  ): Promise<OrderDoc | null> {
    const { Orders } = this.models;
    const found = await Orders.findById(orderId, { ticketId: 1 }).lean<Pick<OrderDoc, 'ticketId'>>();
    if (!found) return null;
    return this.exclusive(found.ticketId, async () => {
      for (let attempt = 0; ; attempt++) {
        const doc = await Orders.findById(orderId, { outbox: 0 }).lean<OrderDoc>();
        if (!doc) return null;
        const decision = decide(doc);
        if (decision instanceof Error) throw decision;
        if (!decision) return doc;
        if (!ACTIVE.includes(doc.status)) throw new Error(`order ${doc._id} is ${doc.status}: final`);
        const next: OrderDoc = {
          ...doc,
          status: decision.status,
          cancelReason: decision.status === 'CANCELLED' ? decision.reason : null,
          paymentId: decision.status === 'COMPLETE' ? decision.paymentId : null,
          version: doc.version + 1,
        };
        const { status, cancelReason, paymentId, version } = next;
        const result = await Orders.updateOne(
          { _id: orderId, version: doc.version },
          withOutbox<OrderDoc>({ $set: { status, cancelReason, paymentId, version } }, eventFor(next)),
        );
        if (result.matchedCount === 1) {
          this.kickOutbox();
          await this.settleLock(next);
          return next;
        }
        if (attempt >= 5) throw new Error(`order ${orderId.toHexString()} keeps changing; giving up`);
      }
    });
  }

  /** Cancels with reason `expired` unless the order is complete or cancelled already. */
  expire(orderId: Types.ObjectId, onlyIfDue = false): Promise<OrderDoc | null> {
    return this.transition(orderId, (doc) => {
      if (!ACTIVE.includes(doc.status)) return null;
      if (onlyIfDue && doc.expiresAt.getTime() > Date.now()) return null;
      return { status: 'CANCELLED', reason: 'expired' };
    });
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
      const orphan = !order && Date.now() - lock.at.getTime() >= orphanGraceMs;
      if (order?.status !== 'CANCELLED' && !orphan) return false;
      const result = await this.models.locks.deleteOne({ _id: lock._id, orderId: lock.orderId });
      return result.deletedCount === 1;
    });
  }

  /** A cancelled order frees its ticket (only if it still holds the lock); a completed one keeps it, sold. */
  private async settleLock(doc: OrderDoc) {
    const filter = { _id: doc.ticketId, orderId: doc._id.toHexString() };
    if (doc.status === 'CANCELLED') await this.models.locks.deleteOne(filter);
    else if (doc.status === 'COMPLETE') await this.models.locks.updateOne(filter, { $set: { sold: true } });
  }
}

function eventFor(next: OrderDoc): DomainEvent {
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
