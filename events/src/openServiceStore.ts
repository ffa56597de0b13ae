import { connectMongo, ensureIndexes, type ServiceContext } from '@ticketing/kit';
import type { Connection } from 'mongoose';
import { isSubjectOf } from './catalogue';
import { connectEvents, type EventsConnection, type EventsOptions } from './connectEvents';
import { OutboxRelay, type OutboxSource } from './OutboxRelay';

export interface ServiceStoreOptions<Models> {
  /** Connection name on NATS, and the service's name in logs. */
  service: string;
  mongoUri: string;
  dbName: string;
  natsUrl: string;
  /** Further events options (tests pass their own stream). */
  events?: EventsOptions;
  registerModels(connection: Connection): Models;
  /** The models whose documents carry an outbox. */
  outboxOf(models: Models): OutboxSource[];
}

export interface ServiceStore<Models> {
  models: Models;
  events: EventsConnection;
  relay: OutboxRelay;
}

/**
 * What every service with a database and events opens first: its MongoDB (indexes created before
 * it serves), the events connection, and the outbox relay; each registered for shutdown.
 */
export async function openServiceStore<Models>(
  options: ServiceStoreOptions<Models>,
  { logger, shutdown, readiness }: ServiceContext,
): Promise<ServiceStore<Models>> {
  const connection = await connectMongo({ uri: options.mongoUri, dbName: options.dbName });
  shutdown.add('mongodb', () => connection.close());
  // Live checks for /readyz: without its database a service serves nothing; without NATS it still
  // serves, its events waiting in the outbox until the client has reconnected by itself.
  readiness.add('mongodb', async () => {
    if (!connection.db) throw new Error('not connected');
    await connection.db.command({ ping: 1 }, { timeoutMS: 2_000 });
  });
  const models = options.registerModels(connection);
  await ensureIndexes(connection);

  const events = await connectEvents({
    name: options.service,
    logger,
    ...options.events,
    url: options.natsUrl,
  });
  shutdown.add('events', () => events.close());
  // Followed from the client's own status: a round trip (flush) queued while disconnected can
  // stay unanswered after the reconnect.
  let natsDown: string | undefined;
  void (async () => {
    for await (const status of events.nc.status()) {
      if (status.type === 'disconnect') natsDown = 'disconnected';
      else if (status.type === 'reconnect') natsDown = undefined;
    }
  })();
  readiness.add(
    'nats',
    async () => {
      if (natsDown || events.nc.isClosed()) throw new Error(natsDown ?? 'closed');
    },
    { required: false },
  );
  const relay = new OutboxRelay({
    models: options.outboxOf(models),
    // A service's outboxes carry the events of its own domain (subjects `<service>.…`).
    carries: (type) => isSubjectOf(options.service, type),
    publisher: events.publisher,
    logger,
  }).start();
  shutdown.add('outbox relay', () => relay.stop());
  return { models, events, relay };
}
