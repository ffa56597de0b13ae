import { InsertBatcher, isDuplicateKeyError, RecencyMap } from '@ticketing/kit';
import { isSlotStale, slotId } from './hoarding';
import type { OrderDoc, OrdersModels, SlotDoc } from './models';

/** Buyers whose next free slot this process remembers (least recently ordering forgotten first). */
const HINTS_KEPT = 10_000;

export interface BuyerSlotsOptions {
  models: OrdersModels;
  /** At most this many active orders per buyer (MAX_ACTIVE_ORDERS_PER_BUYER). */
  max: number;
  orphanGraceMs: number;
  now: () => Date;
}

/**
 * A buyer's active orders, bounded across replicas without transactions: each active order holds
 * one of the buyer's `max` slot documents (`_id: <buyerId>:<n>`), claimed by a unique-key insert,
 * so ten concurrent orders by one buyer can never hold more than `max` (MongoDB and FerretDB alike).
 * A slot is freed when its order ends (OrderLifecycle) and, as a net, reclaimed when found stale.
 */
export class BuyerSlots {
  /** Concurrent claims (of any buyers) share insert commands. */
  private readonly inserts: InsertBatcher<SlotDoc>;
  /**
   * Where to start a buyer's next claim: after the slot this process handed them last. Only a
   * hint (another replica's claims and the releases are not seen), so a buyer ordering again and
   * again costs one insert per order instead of one per slot already held.
   */
  private readonly hints = new RecencyMap<string, number>(HINTS_KEPT);

  constructor(private readonly options: BuyerSlotsOptions) {
    this.inserts = new InsertBatcher(options.models.slots);
  }

  /** Claims a free slot for `orderId`: its id, or null when all hold active orders. */
  async claim(buyerId: string, orderId: string): Promise<string | null> {
    const { max } = this.options;
    const start = (this.hints.peek(buyerId) ?? 0) % max;
    const claimed = await this.firstFree(buyerId, start, orderId);
    if (claimed === null) this.hints.delete(buyerId);
    else this.hints.set(buyerId, (claimed + 1) % max);
    return claimed === null ? null : slotId(buyerId, claimed);
  }

  /**
   * The first slot number free from `start` on (wrapping round), or null. Slot ids are made one at
   * a time: a claim usually takes the first it tries, whatever the limit.
   */
  private async firstFree(buyerId: string, start: number, orderId: string): Promise<number | null> {
    const { max } = this.options;
    const order = (i: number) => (start + i) % max;
    for (let i = 0; i < max; i++) if (await this.insert(slotId(buyerId, order(i)), orderId)) return order(i);
    // All taken: free the stale ones (at most once each), then try them again.
    for (let i = 0; i < max; i++) {
      const id = slotId(buyerId, order(i));
      if ((await this.reclaim(id)) && (await this.insert(id, orderId))) return order(i);
    }
    return null;
  }

  /** Frees `slotId` if `orderId` still holds it. */
  async release(slotId: string, orderId: string): Promise<void> {
    await this.options.models.slots.deleteOne({ _id: slotId, orderId });
  }

  private async insert(_id: string, orderId: string): Promise<boolean> {
    try {
      await this.inserts.insert({ _id, orderId, at: this.options.now() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Deletes the slot when its order is over (or never came); true when it was deleted. */
  private async reclaim(_id: string): Promise<boolean> {
    const { models, now, orphanGraceMs } = this.options;
    const slot = await models.slots.findOne({ _id });
    if (!slot) return true;
    const order = await models.Orders.findById(slot.orderId, { status: 1 }).lean<Pick<OrderDoc, 'status'>>();
    if (!isSlotStale(slot, order, now(), orphanGraceMs)) return false;
    const result = await models.slots.deleteOne({ _id, orderId: slot.orderId });
    return result.deletedCount === 1;
  }
}
