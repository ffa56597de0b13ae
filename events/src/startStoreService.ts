import { type Logger, type ServiceContext, type Shutdown, startService } from '@ticketing/kit';
import type { EventsOptions } from './connectEvents';
import { openServiceStore, type ServiceStore, type ServiceStoreOptions } from './openServiceStore';

/** What each service with a database and events is given (its own options add to these). */
export interface StoreServiceOptions {
  settings: { MONGO_URI: string; NATS_URL: string };
  /** Database name; the service's name in production, `testDatabaseName(...)` in tests. */
  dbName?: string;
  /** Events connection options (tests pass their own stream). */
  events?: EventsOptions;
  logger?: Logger;
}

/** A started service with a store: what every service of this kind offers besides its own. */
export interface StoreService<Models> extends ServiceStore<Models> {
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/**
 * A service's start-up (kit's startService) that first opens its store (openServiceStore), so
 * that each service's own code is only what differs: what it builds on the store and serves.
 * The result carries the store's models, events and relay besides what `start` returns.
 */
export function startStoreService<Models, T extends object>(
  service: string,
  options: StoreServiceOptions,
  store: Pick<ServiceStoreOptions<Models>, 'registerModels' | 'outboxOf'>,
  start: (store: ServiceStore<Models>, ctx: ServiceContext) => Promise<T>,
): Promise<StoreService<Models> & T> {
  const { settings, dbName = service } = options;
  return startService(service, options.logger, async (ctx) => {
    const opened = await openServiceStore(
      {
        service,
        mongoUri: settings.MONGO_URI,
        dbName,
        natsUrl: settings.NATS_URL,
        events: options.events,
        ...store,
      },
      ctx,
    );
    return { ...opened, ...(await start(opened, ctx)) };
  });
}
