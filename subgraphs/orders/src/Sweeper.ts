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
    const { models, lifecycle, orphanGraceMs, now } = this.options;
    const overdue = await models.Orders.find(
      { status: { $in: ACTIVE }, expiresAt: { $lte: now() } },
      { _id: 1 },
    )
      .limit(BATCH)
      .lean();
    let expired = 0;
    for (const { _id } of overdue) {
      const doc = await lifecycle.expire(_id, true);
      if (doc?.status === 'CANCELLED') expired++;
    }
    let released = 0;
    for (const lock of await this.suspectLocks()) {
      if (await lifecycle.releaseIfStale(lock, orphanGraceMs)) released++;
    }
    if (expired || released) this.options.logger?.info({ expired, released }, 'swept');
    return { expired, released };
  }

  /**
   * Unsold locks whose order is no longer active or is missing: the only ones releaseIfStale can
   * act on (it reads again under the ticket's lock). Orders are read in batches, not one per lock:
   * every live reservation holds a lock, so one read each would cost a read per reservation per sweep.
   */
  private async suspectLocks(): Promise<LockDoc[]> {
    const { models } = this.options;
    const locks = await models.locks.find({ sold: false }).toArray();
    const suspects: LockDoc[] = [];
    for (let i = 0; i < locks.length; i += BATCH) {
      const batch = locks.slice(i, i + BATCH);
      const ids = batch.map((l) => l.orderId).filter((id) => Types.ObjectId.isValid(id));
      const active = await models.Orders.find(
        { _id: { $in: ids }, status: { $in: ACTIVE } },
        { _id: 1 },
      ).lean();
      const live = new Set(active.map((o) => String(o._id)));
      suspects.push(...batch.filter((l) => !live.has(l.orderId)));
    }
    return suspects;
  }
}
