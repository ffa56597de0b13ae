import { readFileSync } from 'node:fs';
import { type StreamSettings } from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { createExpirationWorker, type ExpirationWorker, readExpirationSettings } from '@ticketing/expiration';
import {
  createGateway,
  type Gateway,
  type GatewaySettings,
  readGatewaySettings,
  SUPERGRAPH_FILE,
} from '@ticketing/gateway';
import { testDatabaseName } from '@ticketing/kit/testing';
import { createOrdersService, type OrdersService, readOrdersSettings } from '@ticketing/orders';
import {
  createPaymentsService,
  type PaymentsService,
  readPaymentsSettings,
  type StripeGateway,
} from '@ticketing/payments';
import { createTicketsService, readTicketsSettings, type TicketsService } from '@ticketing/tickets';
import { createUsersService, readUsersSettings, type UsersService } from '@ticketing/users';

/**
 * Which services to start besides users and the gateway. Every subgraph of the supergraph runs by
 * default (the gateway is ready only when all answer); the expiration worker only when asked.
 */
export interface TestStackOptions {
  /** Default true. */
  tickets?: boolean;
  /** Default true. */
  orders?: boolean;
  /** Default true (Stripe from the environment: stripe-mock locally). */
  payments?: boolean;
  /** The expiration worker (BullMQ), with its keys under the stack's Redis prefix. Default false. */
  expiration?: boolean;
  /** Stripe for payments; default stripe-node on STRIPE_API_BASE (stripe-mock). A double gets declines. */
  stripe?: StripeGateway;
}

export interface TestStack {
  users: UsersService;
  tickets?: TicketsService;
  orders?: OrdersService;
  payments?: PaymentsService;
  expiration?: ExpirationWorker;
  gateway: Gateway;
  settings: GatewaySettings;
  /** The one event stream every service of this stack uses. */
  stream: StreamSettings;
  /** This stack's Redis key prefix (sessions, and BullMQ under `<prefix>bull`). */
  redisPrefix: string;
  stop(): Promise<void>;
}

/**
 * Tests and benches send many requests from one address, faster than any client should: the
 * stack's rate limits are out of their way unless a test passes its own (e2e/src/limits.test.ts).
 */
const GENEROUS_LIMITS = {
  RATE_LIMIT_API_KEY_POINTS: '0',
  RATE_LIMIT_USER_POINTS: '0',
  RATE_LIMIT_ANONYMOUS_POINTS: '0',
  WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
  WS_MAX_CONNECTIONS_PER_USER: '100000',
  SIGN_UP_PER_ADDRESS: '0',
  // Tests and benches reuse one buyer for many orders, and re-order what they cancelled
  // (e2e/src/hoarding.test.ts passes the real limits).
  MAX_ACTIVE_ORDERS_PER_BUYER: '1000',
  REORDER_COOLDOWN_SECONDS: '0',
};

/**
 * Under jest, a gateway keeps few sockets open to each subgraph: the default (256 to each of four)
 * costs a stack about 0.65 s of CPU at start, which a hundred test stacks would pay for nothing.
 * Benches run the default.
 */
const TEST_SOCKETS = process.env.JEST_WORKER_ID === undefined ? {} : { SUBGRAPH_WARM_SOCKETS: '4' };

/**
 * The subgraphs and the gateway in this process, on free ports, with databases, one event stream
 * and a Redis key prefix of the test file's own (infrastructure from jest's global setup). `env`
 * overrides settings of every service (e.g. ORDER_EXPIRATION_SECONDS).
 */
export async function startTestStack(
  label: string,
  env: NodeJS.ProcessEnv = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const prefix = `${testDatabaseName(label)}:`;
  const stream = testStream(label);
  const events = { stream };
  const common = {
    ...process.env,
    PORT: '0',
    REDIS_PREFIX: prefix,
    NODE_ENV: 'test',
    ...GENEROUS_LIMITS,
    ...TEST_SOCKETS,
    ...env,
  };
  const users = await createUsersService({
    settings: readUsersSettings(common),
    dbName: testDatabaseName(label),
    events,
  });
  // `dbName` is dropped once every service has stopped (none still writing to it); `drop` runs
  // before its service stops (a BullMQ queue needs its own connection to be emptied).
  const started: Array<{ stop(): Promise<void>; dbName?: string; drop?: () => Promise<unknown> }> = [];
  const stack: Omit<TestStack, 'gateway' | 'settings' | 'stop'> = { users, stream, redisPrefix: prefix };
  try {
    if (options.tickets ?? true) {
      const tickets = await createTicketsService({
        settings: readTicketsSettings(common),
        dbName: testDatabaseName(`${label}_tickets`),
        events,
      });
      started.push({ stop: tickets.stop, dbName: tickets.models.Tickets.db.name });
      stack.tickets = tickets;
    }
    if (options.orders ?? true) {
      const orders = await createOrdersService({
        settings: readOrdersSettings(common),
        dbName: testDatabaseName(`${label}_orders`),
        events,
      });
      started.push({ stop: orders.stop, dbName: orders.models.Orders.db.name });
      stack.orders = orders;
    }
    if (options.payments ?? true) {
      const payments = await createPaymentsService({
        settings: readPaymentsSettings(common),
        dbName: testDatabaseName(`${label}_payments`),
        events,
        ...(options.stripe ? { stripe: options.stripe } : {}),
      });
      started.push({ stop: payments.stop, dbName: payments.models.Payments.db.name });
      stack.payments = payments;
    }
    if (options.expiration) {
      const expiration = await createExpirationWorker({ settings: readExpirationSettings(common), events });
      started.push({ stop: expiration.stop, drop: () => expiration.queue.obliterate({ force: true }) });
      stack.expiration = expiration;
    }
  } catch (err) {
    for (const s of started.reverse()) await s.stop();
    await users.stop();
    throw err;
  }
  const settings = readGatewaySettings(common);
  const gateway = await createGateway({
    settings,
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    events,
    subgraphUrls: {
      users: users.url,
      ...(stack.tickets ? { tickets: stack.tickets.url } : {}),
      ...(stack.orders ? { orders: stack.orders.url } : {}),
      ...(stack.payments ? { payments: stack.payments.url } : {}),
    },
  });
  return {
    ...stack,
    gateway,
    settings,
    async stop() {
      await gateway.stop();
      for (const s of started.reverse()) {
        await s.drop?.().catch(() => undefined);
        await s.stop();
      }
      // Dropped through users' connection, which stays open until last.
      const db = users.models.Users.db;
      for (const name of [...started.flatMap((s) => s.dbName ?? []), db.name]) {
        await db
          .useDb(name)
          .dropDatabase()
          .catch(() => undefined);
      }
      await dropTestStreams(users.events);
      await users.stop();
    },
  };
}
