import type { Logger } from '@ticketing/kit';
import type { Types } from 'mongoose';
import { ACTIVE, expiryMinuteOf, type OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';

export interface SweeperOptions {
  models: OrdersModels;
  lifecycle: OrderLifecycle;
  /** How often the orders expiring since the last sweep are looked up. */
  intervalMs: number;
  /** A lock without an order is freed once this old. */
  orphanGraceMs: number;
  /** How often a full pass runs (every active order, every unsold lock). Default 60 000 ms. */
  fullPassIntervalMs?: number;
  now: () => Date;
  logger?: Logger;
}

/** How many overdue orders one sweep handles; the next sweep takes the rest. */
const BATCH = 500;
/** A gap of more minutes than this since the last sweep is swept by a full pass. */
const MINUTES_AT_MOST = 10;

interface Expiring {
  _id: Types.ObjectId;
  expiresAt: Date;
}

/**
 * The net under the expiration worker: cancels overdue unpaid orders and frees locks left behind
 * (an order that is cancelled, or was never written), so losing Redis's jobs or a crash never
 * leaves a ticket locked for good.
 *
 * Its cost does not grow with the orders held open. Every `intervalMs` it looks up the orders
 * expiring in the minutes since its last sweep, by equality on `expiresMinute` (an index lookup on
 * FerretDB as on MongoDB). The full pass, which reads every active order and every unsold lock,
 * runs at start, every `fullPassIntervalMs` and after a gap: it also finds orders written without
 * `expiresMinute` (by a version from before it) and locks whose order ended without freeing them.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** The last minute whose expiring orders were all handled; undefined until a full pass did. */
  private sweptThrough: number | undefined;
  private fullPassAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SweeperOptions) {}

  start(): this {
    const tick = () => {
      if (this.running) return;
      const full = performance.now() - this.fullPassAt >= (this.options.fullPassIntervalMs ?? 60_000);
      this.running = (full ? this.sweep() : this.sweepRecent())
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

  /**
   * The full pass: every overdue active order, every stale lock, the ended cooldowns. Returns what
   * it changed.
   */
  async sweep(): Promise<{ expired: number; released: number }> {
    this.fullPassAt = performance.now();
    const cutoff = this.options.now();
    // Locks are read before the active orders: a lock is taken before its order is written, so a
    // live order is always among the active ones read after it.
    const unsold = await this.options.models.locks.find({ sold: false }).toArray();
    const active = await this.activeOrders();
    const expired = await this.expireOverdue(active, cutoff);
    const live = new Set(active.map((o) => o._id.toHexString()));
    let released = 0;
    for (const lock of unsold.filter((l) => !live.has(l.orderId))) {
      if (await this.options.lifecycle.releaseIfStale(lock, this.options.orphanGraceMs)) released++;
    }
    // Ended cooldowns go: createOrder reads the rest by `$in` (FindByIdBatcher), which FerretDB
    // answers by reading the whole collection.
    const ended = (await this.options.models.cooldowns.deleteMany({ until: { $lte: cutoff } })).deletedCount;
    this.log(expired, released, ended);
    return { expired, released };
  }

  /**
   * Between full passes: the active orders expiring from the minute after the last one swept up to
   * the current minute, each minute and status one equality lookup. Returns how many expired.
   */
  async sweepRecent(): Promise<number> {
    const cutoff = this.options.now();
    const current = expiryMinuteOf(cutoff);
    const from = this.sweptThrough === undefined ? undefined : this.sweptThrough + 1;
    if (from === undefined || current - from >= MINUTES_AT_MOST) return (await this.sweep()).expired;
    const { Orders } = this.options.models;
    const lookups = ACTIVE.flatMap((status) =>
      Array.from({ length: current - from + 1 }, (_, i) =>
        Orders.find({ status, expiresMinute: from + i }, { _id: 1, expiresAt: 1 }).lean<Expiring[]>(),
      ),
    );
    const expired = await this.expireOverdue((await Promise.all(lookups)).flat(), cutoff);
    this.log(expired, 0, 0);
    return expired;
  }

  /**
   * Expires the overdue among `orders` (at most BATCH, the earliest first). Once all were handled,
   * the minutes before the current one need no other look: everything expiring in them is due.
   */
  private async expireOverdue(orders: Expiring[], cutoff: Date): Promise<number> {
    const overdue = orders
      .filter((o) => o.expiresAt <= cutoff)
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
    let expired = 0;
    for (const { _id } of overdue.slice(0, BATCH)) {
      const doc = await this.options.lifecycle.expire(_id, true);
      if (doc?.status === 'CANCELLED') expired++;
    }
    if (overdue.length <= BATCH) this.sweptThrough = expiryMinuteOf(cutoff) - 1;
    return expired;
  }

  /**
   * The active orders (unpaid, not cancelled): one equality query per active status, which every
   * backend serves from the `{status, expiresMinute}` index, where a range on expiresAt or a `$in`
   * makes FerretDB read the whole collection.
   */
  private async activeOrders(): Promise<Expiring[]> {
    const { Orders } = this.options.models;
    const byStatus = await Promise.all(
      ACTIVE.map((status) => Orders.find({ status }, { _id: 1, expiresAt: 1 }).lean<Expiring[]>()),
    );
    return byStatus.flat();
  }

  private log(expired: number, released: number, ended: number) {
    if (expired || released || ended) this.options.logger?.info({ expired, released, ended }, 'swept');
  }
}
