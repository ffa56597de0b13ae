import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';

/**
 * Every answer to an admitted HTTP operation tells its cost, as Shopify's `extensions.cost` does:
 * `{ requested, limit }` (what is left of the caller's points is in the RateLimit headers).
 */
export function limitsPlugin(limit: number): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const requested = contextValue.cost;
      if (requested === undefined) return;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested, limit } };
        },
      };
    },
  };
}
