import { GraphQLError } from 'graphql';

/**
 * The `subscribe` of every Subscription field in a subgraph. The subgraph that owns the data
 * declares its Subscription fields (so they compose into the supergraph and its docs), but the
 * gateway serves them over graphql-ws, triggered by domain events; a subgraph never runs one.
 */
export function servedByGateway(): AsyncIterable<never> {
  throw new GraphQLError('Subscriptions are served by the gateway over WebSocket on /graphql', {
    extensions: { code: 'BAD_REQUEST' },
  });
}
