import type { OrdersModels } from './models';
import type { OrderLifecycle } from './OrderLifecycle';

/** What the resolvers need; built once by createOrdersService. */
export interface OrdersDeps {
  models: OrdersModels;
  lifecycle: OrderLifecycle;
  expirationSeconds: number;
  /** Asks the outbox relay to publish now (after a write that added an event). */
  kickOutbox: () => void;
  now: () => Date;
}
