// Helpers for this package's tests: the service in-process on its own database and
// stream, order events fed as the orders subgraph would publish them, and what payments publishes.
import { randomUUID } from 'node:crypto';
import {
  type CancelReason,
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
  ChargeRefunded,
  type EventOf,
  OrderCancelled,
  OrderCreated,
} from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { DEV_INTERNAL_JWT_KEY, IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import {
  createPaymentsService,
  type PaymentsService,
  type PaymentsServiceOptions,
} from '../createPaymentsService';
import { readPaymentsSettings } from '../settings';

export type ChargeEvent =
  | EventOf<typeof ChargeAttempted>
  | EventOf<typeof ChargeCreated>
  | EventOf<typeof ChargeFailed>
  | EventOf<typeof ChargeRefunded>;

export interface GraphQLReply<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> & { code?: string } }>;
}

export interface TestOrder {
  id: string;
  buyerId: string;
  ticketId: string;
  priceCents: number;
  expiresAt: Date;
}

export interface TestPayments {
  service: PaymentsService;
  /** Every ChargeAttempted / ChargeCreated / ChargeFailed / ChargeRefunded published so far. */
  published: ChargeEvent[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: object,
    userId?: string,
  ): Promise<GraphQLReply<T>>;
  /** Publishes OrderCreated (v1) and waits until payments has it. */
  orderCreated(overrides?: Partial<TestOrder>): Promise<TestOrder>;
  /** Publishes OrderCancelled (v2) and waits until payments applied it. */
  orderCancelled(order: TestOrder, reason?: CancelReason): Promise<void>;
  stop(): Promise<void>;
}

export const newId = () => new Types.ObjectId().toHexString();

export async function startTestPayments(
  label: string,
  options: Omit<PaymentsServiceOptions, 'settings'> & { env?: NodeJS.ProcessEnv } = {},
): Promise<TestPayments> {
  const { env, ...rest } = options;
  const service = await createPaymentsService({
    settings: readPaymentsSettings({ ...process.env, PORT: '0', ...env }),
    dbName: testDatabaseName(label),
    events: { stream: testStream(label) },
    orderWaitMs: 200,
    ...rest,
  });
  const published: ChargeEvent[] = [];
  await service.events.consume({
    durable: 'test_observer',
    events: [ChargeAttempted, ChargeCreated, ChargeFailed, ChargeRefunded],
    handle: async (event) => {
      published.push(event);
    },
  });

  const gql: TestPayments['gql'] = async (query, variables = {}, userId) => {
    // Anonymous calls carry the gateway's anonymous identity: a subgraph refuses a request without one.
    const identity = signIdentity(
      { identity: userId ? { userId, via: 'session' } : null },
      DEV_INTERNAL_JWT_KEY,
    );
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLReply<never>;
  };

  return {
    service,
    published,
    gql,
    async orderCreated(overrides = {}) {
      const order: TestOrder = {
        id: newId(),
        buyerId: newId(),
        ticketId: newId(),
        priceCents: 2599,
        expiresAt: new Date(Date.now() + 15 * 60_000),
        ...overrides,
      };
      await service.events.publisher.publish(
        OrderCreated.create({
          aggregateId: order.id,
          aggregateVersion: 1,
          data: {
            ticketId: order.ticketId,
            buyerId: order.buyerId,
            priceCents: order.priceCents,
            expiresAt: order.expiresAt.toISOString(),
          },
        }),
      );
      await eventually(() => service.models.Orders.exists({ _id: order.id }));
      return order;
    },
    async orderCancelled(order, reason = 'cancelled') {
      await service.events.publisher.publish(
        OrderCancelled.create({
          id: randomUUID(),
          aggregateId: order.id,
          aggregateVersion: 2,
          data: { ticketId: order.ticketId, buyerId: order.buyerId, reason },
        }),
      );
      await eventually(() => service.models.Orders.exists({ _id: order.id, status: 'CANCELLED' }));
    },
    async stop() {
      await service.models.Payments.db.dropDatabase().catch(() => undefined);
      await dropTestStreams(service.events);
      await service.stop();
    },
  };
}

export const PAY = `mutation ($orderId: ID!, $pm: String!) {
  payOrder(orderId: $orderId, paymentMethodId: $pm) {
    id status amount amountMoney { amount currencyCode } stripeId stripeRefundId order { id }
  }
}`;

export interface PaidPayment {
  id: string;
  status: string;
  amount: number;
  amountMoney: { amount: string; currencyCode: string };
  stripeId: string | null;
  stripeRefundId: string | null;
  order: { id: string };
}
