import {
  connectEvents,
  type EventOf,
  type EventsConnection,
  OrderCancelled,
  OrderCompleted,
  OrderCreated,
  OrderExpired,
} from '@ticketing/events';
import { createLogger, type Logger, Shutdown } from '@ticketing/kit';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, type ExpirationSettings } from './settings';

export interface ExpirationWorkerOptions {
  settings: ExpirationSettings;
  /** Events connection options (tests pass their own stream). */
  events?: Parameters<typeof connectEvents>[0];
  logger?: Logger;
}

export interface ExpirationWorker {
  queue: Queue<ExpiryJob>;
  events: EventsConnection;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

/** One delayed job per order: its id is the order id, so a redelivered OrderCreated adds nothing. */
export interface ExpiryJob {
  orderId: string;
  expiresAt: string;
}

const events = [OrderCreated, OrderCancelled, OrderCompleted] as const;

/**
 * Schedules a BullMQ delayed job per created order and, when it comes due, announces OrderExpired
 * (with an id derived from the order, so a retried publish is stored once). A cancelled or
 * completed order's job is removed; if one fires anyway, orders ignores it.
 */
export async function createExpirationWorker(options: ExpirationWorkerOptions): Promise<ExpirationWorker> {
  const { settings } = options;
  const logger = options.logger ?? createLogger({ service: 'expiration' });
  const shutdown = new Shutdown({ logger });
  try {
    // BullMQ's blocking worker connection must retry forever; the queue's may fail fast.
    const redis = new Redis(settings.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    await redis.connect();
    shutdown.add('redis', () => redis.quit());
    const connection = await connectEvents({
      url: settings.NATS_URL,
      name: 'expiration',
      logger,
      ...options.events,
    });
    shutdown.add('events', () => connection.close());

    const workerRedis = redis.duplicate();
    shutdown.add('worker redis', () => workerRedis.quit());
    const prefix = bullPrefix(settings);
    const queue = new Queue<ExpiryJob>(settings.EXPIRATION_QUEUE, { connection: redis, prefix });
    shutdown.add('queue', () => queue.close());

    const worker = new Worker<ExpiryJob>(
      settings.EXPIRATION_QUEUE,
      async (job: Job<ExpiryJob>) => {
        const { orderId, expiresAt } = job.data;
        await connection.publisher.publish(
          OrderExpired.create({
            id: `${orderId}.expired`,
            aggregateId: orderId,
            aggregateVersion: 1,
            data: { expiresAt },
          }),
        );
      },
      { connection: workerRedis, prefix, concurrency: 50 },
    );
    worker.on('failed', (job, err) => logger.warn({ err, orderId: job?.id }, 'expiry job failed'));
    shutdown.add('worker', () => worker.close());

    await connection.consume({
      durable: 'expiration',
      events,
      handle: async (event: EventOf<(typeof events)[number]>) => {
        if (event.type === 'OrderCreated') {
          const { expiresAt } = event.data;
          await queue.add(
            'expire',
            { orderId: event.aggregateId, expiresAt },
            {
              jobId: event.aggregateId,
              delay: Math.max(0, Date.parse(expiresAt) - Date.now()),
              attempts: 10,
              backoff: { type: 'exponential', delay: 200 },
              removeOnComplete: { age: 24 * 3600 },
              removeOnFail: { age: 7 * 24 * 3600 },
            },
          );
          return;
        }
        // Cancelled or paid: nothing left to announce. A job already running just finishes.
        await queue.remove(event.aggregateId).catch(() => 0);
      },
    });
    return { queue, events: connection, shutdown, stop: () => shutdown.run() };
  } catch (err) {
    await shutdown.run('failed to start');
    throw err;
  }
}
