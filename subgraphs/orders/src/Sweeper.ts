import type { Logger } from '@ticketing/kit';
import { Types } from 'mongoose';
import { ACTIVE, type LockDoc, type OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';

export interface SweeperOptions {
  models: OrdersModels;
  lifecycle: OrderLifecycle;
  intervalMs: number;
  orphanGraceMs: number;
  now: () => Date;
  logger?: Logger;
}

/** How many overdue orders one sweep handles; the next sweep takes the rest. */
const BATCH = 500;

/**
 * The net under the expiration worker: at start and on a timer, cancels overdue unpaid orders and
 * frees locks left behind (an order that is cancelled, or was never written), so losing Redis's
 * jobs or a crash never leaves a ticket locked for good.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: SweeperOptions) {}

  start(): this {
    const tick = () => {
      this.running ??= this.sweep()
        .catch((err: unknown) => this.options.logger?.warn({ err }, 'sweep failed; retrying on the next one'))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns what it changed. */
  async sweep(): Promise<{ expired: number; released: number }> {
    const { lifecycle, orphanGraceMs, now } = this.options;
    const cutoff = now();
    const overdue = (await this.activeOrders()).filter((o) => o.expiresAt <= cutoff).slice(0, BATCH);
    let expired = 0;
    for (const { _id } of overdue) {
      const doc = await lifecycle.expire(_id, true);
      if (doc?.status === 'CANCELLED') expired++;
    }
    let released = 0;
    for (const lock of await this.suspectLocks()) {
      if (await lifecycle.releaseIfStale(lock, orphanGraceMs)) released++;
    }
    // Ended cooldowns go: createOrder reads the rest by `$in` (FindByIdBatcher), which FerretDB
    // answers by reading the whole collection.
    const ended = (await this.options.models.cooldowns.deleteMany({ until: { $lte: cutoff } })).deletedCount;
    if (expired || released || ended) this.options.logger?.info({ expired, released, ended }, 'swept');
    return { expired, released };
  }

  /**
   * The active orders (unpaid, not cancelled): one equality query per active status, which every
   * backend serves from the `{status, expiresAt}` index, where a range on expiresAt or a `$in` makes
   * FerretDB read the whole collection every few seconds. They are few: each holds a reservation.
   */
  private async activeOrders(): Promise<Array<{ _id: Types.ObjectId; expiresAt: Date }>> {
    const { Orders } = this.options.models;
    const byStatus = await Promise.all(
      ACTIVE.map((status) =>
        Orders.find({ status }, { _id: 1, expiresAt: 1 }).lean<{ _id: Types.ObjectId; expiresAt: Date }[]>(),
      ),
    );
    return byStatus.flat().sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  /**
   * Unsold locks whose order is no longer active or is missing: the only ones releaseIfStale can
   * act on (it reads again under the ticket's lock). The locks are read before the active orders:
   * a lock is taken before its order is written, so a live order is always among them.
   */
  private async suspectLocks(): Promise<LockDoc[]> {
    const locks = await this.options.models.locks.find({ sold: false }).toArray();
    if (!locks.length) return [];
    const live = new Set((await this.activeOrders()).map((o) => o._id.toHexString()));
    return locks.filter((l) => !live.has(l.orderId));
  }
}
