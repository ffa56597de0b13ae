import 'reflect-metadata';
import { type StoreService, type StoreServiceOptions, startStoreService } from '@ticketing/events';
import { FindByIdBatcher, InsertBatcher } from '@ticketing/kit';
import { IdempotencyKeys, serveSubgraph } from '@ticketing/kit/graphql';
import { BuyerSlots } from './BuyerSlots';
import { consumedEvents, handleEvents } from './handleEvents';
import { type OrdersModels, registerModels } from './models';
import { OrderLifecycle } from './OrderLifecycle';
import { Sweeper } from './Sweeper';
import { buildOrdersSchema } from './schema';
import type { OrdersSettings } from './settings';
import { TicketCopies } from './TicketCopies';

/** Events pulled at a time; each is a few database round trips. */
const CONSUMER_BATCH = 32;

export interface OrdersServiceOptions extends StoreServiceOptions {
  settings: OrdersSettings;
  /** Default: the system clock. */
  now?: () => Date;
  production?: boolean;
}

export interface OrdersService extends StoreService<OrdersModels> {
  url: string;
  port: number;
  lifecycle: OrderLifecycle;
  sweeper: Sweeper;
}

/** Starts the orders subgraph: MongoDB (indexes first), events, the sweeper, then HTTP. */
export function createOrdersService(options: OrdersServiceOptions): Promise<OrdersService> {
  const { settings, now = () => new Date() } = options;
  const store = { registerModels, outboxOf: (m: OrdersModels) => [m.Orders] };
  return startStoreService('orders', options, store, async ({ models, events, relay }, ctx) => {
    const { logger, shutdown } = ctx;
    const kickOutbox = () => relay.kick();
    const lifecycle = new OrderLifecycle(models, kickOutbox, now);

    await events.consume({
      durable: 'orders',
      events: consumedEvents,
      handle: handleEvents(models, lifecycle, logger),
      // A small batch: messages buffered beyond what is handled within the ack wait would be redelivered.
      batch: CONSUMER_BATCH,
    });
    const sweeper = new Sweeper({
      models,
      lifecycle,
      intervalMs: settings.ORDER_SWEEP_INTERVAL_MS,
      orphanGraceMs: settings.ORPHAN_LOCK_GRACE_MS,
      now,
      logger,
    }).start();
    shutdown.add('sweeper', () => sweeper.stop());

    const ticketCopies = await new TicketCopies({ collection: models.tickets, logger }).start(events);
    shutdown.add('ticket copies feed', () => ticketCopies.stop());
    const slots = new BuyerSlots({
      models,
      max: settings.MAX_ACTIVE_ORDERS_PER_BUYER,
      orphanGraceMs: settings.ORPHAN_LOCK_GRACE_MS,
      now,
    });
    const schema = await buildOrdersSchema({
      models,
      inserts: { locks: new InsertBatcher(models.locks), orders: new InsertBatcher(models.orderDocs) },
      lifecycle,
      ticketCopies,
      expirationSeconds: settings.ORDER_EXPIRATION_SECONDS,
      slots,
      maxActivePerBuyer: settings.MAX_ACTIVE_ORDERS_PER_BUYER,
      orphanGraceMs: settings.ORPHAN_LOCK_GRACE_MS,
      reorderCooldownSeconds: settings.REORDER_COOLDOWN_SECONDS,
      cooldowns: new FindByIdBatcher(models.cooldowns),
      idempotency: new IdempotencyKeys(models.IdempotencyRecords, { now }),
      now,
    });
    const server = await serveSubgraph(schema, settings, ctx, options);
    return { url: server.url, port: server.port, lifecycle, sweeper };
  });
}
