import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * What clients see of a supergraph: its API schema, as the gateway serves it (no join__ or link__
 * types, no @inaccessible parts), the schema integrators introspect and /graphql/schema.graphql prints.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
