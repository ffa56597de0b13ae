import type { ApolloServer } from '@apollo/server';
import { type GraphQLSchema, parse } from 'graphql';
import type { GatewayContext } from '../GatewayContext';
import type { RecordedOperation } from './OperationRecord';
import { sampleVariables } from './sampleVariables';

/** Marks a warm-up request's context (a property: Apollo Server copies the context it is given). */
const WARM_UP = Symbol('warm-up');

/** A warm-up request: its subgraph calls are not made (SubgraphDataSource answers them empty). */
export const isWarmUp = (context: object): boolean => WARM_UP in context;

/**
 * Runs each operation through the server once, as a warm-up request, so Apollo Server's parse and
 * validation cache and the gateway's query-plan cache hold it before the first client sends it.
 * Nothing reaches a subgraph (mutations included); an operation that no longer validates against
 * this supergraph is skipped. Returns how many were warmed.
 */
export async function warmUp(
  server: ApolloServer<GatewayContext>,
  schema: GraphQLSchema,
  operations: readonly RecordedOperation[],
): Promise<number> {
  let warmed = 0;
  for (const { query, operationName } of operations) {
    let variables: Record<string, unknown>;
    try {
      variables = sampleVariables(schema, parse(query), operationName);
    } catch {
      continue; // no longer parses (a limit changed): nothing to warm
    }
    const contextValue: GatewayContext = Object.assign({ identity: null }, { [WARM_UP]: true });
    const response = await server.executeOperation(
      { query, variables, ...(operationName ? { operationName } : {}) },
      { contextValue },
    );
    if (response.http.status === undefined || response.http.status < 400) warmed++;
  }
  return warmed;
}
