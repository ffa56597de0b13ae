import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';
import type { OperationMeasure } from './measureOperation';
import { type OperationGuard, throttled, withHttp } from './OperationGuard';
import { type RateLimitState, rateLimitHeaders } from './RateLimiter';

/**
 * The guard in Apollo Server's pipeline, for clients' HTTP requests (contexts marked `limited`;
 * subscription deliveries and the warm-up are not). The limits are checked as soon as the document
 * is parsed, before graphql-js validates it (validation of a hostile document is what costs), and
 * again for a document Apollo Server had cached, before any subgraph call. Every answer carries
 * the caller's RateLimit headers and `extensions.cost: { requested, limit }`.
 */
export function limitsPlugin(guard: OperationGuard): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.limited) return;
      const { identity, clientAddress } = contextValue;
      let measure: OperationMeasure | undefined;
      let state: RateLimitState | undefined;
      let spent = false;
      const spend = async (cost: number) => {
        spent = true;
        state = await guard.spend(identity, clientAddress, cost);
        return state;
      };
      const check = async (rc: GraphQLRequestContext<GatewayContext>) => {
        if (measure || !rc.document) return;
        const inspection = guard.inspect(rc.document, rc.request.operationName, rc.request.variables);
        measure = inspection.measure;
        if (!inspection.refusal) return;
        const after = await spend(1);
        throw after?.allowed === false
          ? withHttp(throttled(after), 429, after)
          : withHttp(inspection.refusal, 400, after);
      };
      return {
        validationDidStart: async (rc) => {
          await check(rc);
        },
        async didResolveOperation(rc) {
          await check(rc);
          const after = await spend(measure?.cost ?? 1);
          if (after && !after.allowed) throw withHttp(throttled(after), 429, after);
        },
        async willSendResponse(rc) {
          if (!spent) await spend(1);
          if (state)
            for (const [name, value] of rateLimitHeaders(state)) rc.response.http.headers.set(name, value);
          const body = rc.response.body;
          if (measure && body.kind === 'single') {
            const cost = { requested: measure.cost, limit: guard.limits.cost };
            body.singleResult.extensions = { ...body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}
