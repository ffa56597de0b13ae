import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { connectEvents, type DomainEvent, type EventsOptions } from '@ticketing/events';
import type { Logger, Shutdown } from '@ticketing/kit';
import type { ExecutionResult, GraphQLSchema, ValidationRule } from 'graphql';
import type { Authenticator } from '../Authenticator';
import type { GatewayContext } from '../GatewayContext';
import { LiveEvents } from './LiveEvents';
import { type RunQuery, SubscriptionHub } from './SubscriptionHub';
import { SubscriptionServer, type SubscriptionServerOptions } from './SubscriptionServer';

export interface LiveUpdatesOptions {
  httpServer: http.Server;
  server: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema | undefined;
  authenticator: Authenticator;
  validationRules: ValidationRule[];
  natsUrl: string;
  /** Events connection options (tests pass their own stream). */
  events?: Omit<EventsOptions, 'url'>;
  maxSubscriptionsPerConnection: number;
  keepAliveMs: number;
  recheckMs: number;
  /** The limits HTTP requests are held to, for every operation and connection of the socket. */
  limits?: Pick<
    SubscriptionServerOptions,
    | 'guard'
    | 'maxPayloadBytes'
    | 'maxTokens'
    | 'allowedOrigins'
    | 'maxConnectionsPerAddress'
    | 'maxConnectionsPerUser'
    | 'clientAddress'
  >;
  /** Every event this replica sees, before any subscriber's payload is resolved for it. */
  onEvent?: (event: DomainEvent) => void;
  shutdown: Shutdown;
  logger: Logger;
}

/**
 * Subscriptions: this replica's own feed of domain events → the subscriptions they concern →
 * each subscriber's selection resolved through this gateway's own request pipeline.
 */
export async function startLiveUpdates(options: LiveUpdatesOptions): Promise<SubscriptionHub> {
  const { server, shutdown, logger } = options;
  const run: RunQuery = async (query, variables, identity, operationName) => {
    const response = await server.executeOperation(
      { query, variables, ...(operationName ? { operationName } : {}) },
      { contextValue: { identity } },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported here');
    return response.body.singleResult as ExecutionResult;
  };

  const events = await connectEvents({ name: 'gateway', logger, ...options.events, url: options.natsUrl });
  shutdown.add('events', () => events.close());
  const hub = new SubscriptionHub(run, logger);
  const onEvent = options.onEvent;
  const listener = (e: DomainEvent) => {
    onEvent?.(e);
    void hub.dispatch(e);
  };
  const live = await new LiveEvents(events.js, events.stream, listener, logger).start();
  shutdown.add('live events', () => live.stop());
  const wsServer = new SubscriptionServer({
    httpServer: options.httpServer,
    schema: options.schema,
    hub,
    run,
    authenticator: options.authenticator,
    validationRules: options.validationRules,
    maxSubscriptionsPerConnection: options.maxSubscriptionsPerConnection,
    keepAliveMs: options.keepAliveMs,
    recheckMs: options.recheckMs,
    ...options.limits,
  });
  shutdown.add('subscriptions', () => wsServer.stop());
  return hub;
}
