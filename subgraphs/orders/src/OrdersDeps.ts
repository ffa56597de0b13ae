import type { FindByIdBatcher, InsertBatcher } from '@ticketing/kit';
import type { IdempotencyKeys } from '@ticketing/kit/graphql';
import type { BuyerSlots } from './BuyerSlots';
import type { CooldownDoc, LockDoc, OrderDoc, OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';
import type { TicketCopies } from './TicketCopies';

/** What the resolvers need; built once by createOrdersService. */
export interface OrdersDeps {
  models: OrdersModels;
  /** createOrder's lock and order inserts, shared by concurrent calls (group commit). */
  inserts: { locks: InsertBatcher<LockDoc>; orders: InsertBatcher<OrderDoc> };
  lifecycle: OrderLifecycle;
  /** Orders' copies of tickets, held in memory and kept by the tickets' events. */
  ticketCopies: TicketCopies;
  expirationSeconds: number;
  /** Each active order holds one of its buyer's slots (MAX_ACTIVE_ORDERS_PER_BUYER). */
  slots: BuyerSlots;
  maxActivePerBuyer: number;
  /** A lock without an order may be freed by the sweeper once this old (ORPHAN_LOCK_GRACE_MS). */
  orphanGraceMs: number;
  /** After cancelling, the buyer may not order that ticket again for this long (0: at once). */
  reorderCooldownSeconds: number;
  /** createOrder's cooldown reads, shared by concurrent calls (the sweeper keeps the collection small). */
  cooldowns: FindByIdBatcher<CooldownDoc>;
  /** createOrder's idempotency keys. */
  idempotency: IdempotencyKeys;
  now: () => Date;
}
