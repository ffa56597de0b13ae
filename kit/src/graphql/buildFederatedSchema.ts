import { addResolversToSchema, buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, lexicographicSortSchema, parse } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { type BuildSchemaOptions, buildSchema, createResolversMap, type PubSub } from 'type-graphql';
import { guardEntityReferences } from './guardEntityReferences';
import { servedByGateway } from './servedByGateway';

/** Subgraphs never run subscriptions (the gateway does), but type-graphql wants a PubSub to declare them. */
const gatewayServed: PubSub = { publish: () => {}, subscribe: servedByGateway };

/** The federation version every subgraph links; composition (@apollo/composition 2.14) knows it. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.10';

const DEFAULT_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible'];

export interface BuildFederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck'> {
  /** What the schema imports from the federation spec. Default: @key, @shareable, @external, … */
  federationImports?: string[];
  /** Extra resolvers attached after building, e.g. `{ User: { __resolveReference } }`. */
  referenceResolvers?: GraphQLResolverMap<unknown>;
}

/**
 * A Federation 2 subgraph schema from type-graphql resolvers: type-graphql builds the schema, its
 * SDL (with `@key` and friends from `@Directive`) gets an `@link` to the federation spec, and
 * @apollo/subgraph adds `_service { sdl }` and `_entities`. `Date` maps to the `DateTime` scalar
 * (graphql-scalars, ISO 8601) in every subgraph, so the supergraph has one. Types, fields, arguments
 * and enum values are sorted by name. `_entities` answers null for a representation whose key is not
 * a string (guardEntityReferences).
 */
export async function buildFederatedSchema(options: BuildFederatedSchemaOptions): Promise<GraphQLSchema> {
  const { federationImports = DEFAULT_IMPORTS, referenceResolvers, ...buildOptions } = options;
  const schema = await buildSchema({
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    pubSub: gatewayServed,
    ...buildOptions,
    skipCheck: true,
  });
  const link = `extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ${JSON.stringify(federationImports)})`;
  // type-graphql lists types and fields in the order their decorators ran, i.e. module load order;
  // sorted by name, what a subgraph serves and its committed schema.graphql agree however loaded.
  const typeDefs = parse(`${link}\n\n${printSchemaWithDirectives(lexicographicSortSchema(schema))}`);
  const federated = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: createResolversMap(schema) as GraphQLResolverMap<unknown>,
    },
  ]);
  // Every entity's representations are checked before any resolver (or default) sees them.
  addResolversToSchema(federated, guardEntityReferences(federated, referenceResolvers));
  return federated;
}
