import type { GraphQLResolverMap } from '@apollo/subgraph';
import { type ConstDirectiveNode, type GraphQLSchema, isObjectType, Kind } from 'graphql';

type ResolveReference = (reference: object, context: unknown, info: unknown) => unknown;

/**
 * The `__resolveReference` of every entity in `schema`, guarded: a representation is resolved only
 * when every field of one of the entity's resolvable flat `@key`s is a string (IDs travel as
 * strings). Anything else, such as `{ id: { $ne: null } }`, is answered null before a resolver sees
 * it, so no key can reach a database filter as an operator. Entities without a resolver in `given`
 * (a stub such as `User { tickets }`, whose default hands the representation on as the parent) get
 * a guarded default.
 */
export function guardEntityReferences(
  schema: GraphQLSchema,
  given: GraphQLResolverMap<unknown> = {},
): GraphQLResolverMap<unknown> {
  const out: GraphQLResolverMap<unknown> = { ...given };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const keys = keyFieldsOf(type.astNode?.directives ?? []);
    if (!keys.length) continue;
    const resolvers = (given[type.name] ?? {}) as Record<string, unknown>;
    const resolve = resolvers.__resolveReference as ResolveReference | undefined;
    const guarded: ResolveReference = (reference, context, info) => {
      const fields = reference as Record<string, unknown>;
      if (!keys.some((key) => key.every((field) => typeof fields[field] === 'string'))) return null;
      return resolve ? resolve(reference, context, info) : reference;
    };
    out[type.name] = { ...resolvers, __resolveReference: guarded } as GraphQLResolverMap<unknown>[string];
  }
  return out;
}

/** The field lists of an entity's resolvable flat `@key`s ("id", "id sku"); nested keys are left out. */
function keyFieldsOf(directives: readonly ConstDirectiveNode[]): string[][] {
  const keys: string[][] = [];
  for (const directive of directives) {
    if (directive.name.value !== 'key') continue;
    let fields: string | undefined;
    let resolvable = true;
    for (const arg of directive.arguments ?? []) {
      if (arg.name.value === 'fields' && arg.value.kind === Kind.STRING) fields = arg.value.value;
      if (arg.name.value === 'resolvable' && arg.value.kind === Kind.BOOLEAN) resolvable = arg.value.value;
    }
    if (fields && resolvable && !/[{}]/.test(fields)) keys.push(fields.split(/\s+/).filter(Boolean));
  }
  return keys;
}
