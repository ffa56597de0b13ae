import {
  findBreakingChanges,
  findDangerousChanges,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';

export interface SchemaChange {
  /** graphql-js's kind (FIELD_REMOVED, ARG_CHANGED_KIND, …), or ours for safe changes (FIELD_ADDED, …). */
  type: string;
  description: string;
}

export interface SchemaDiff {
  /** A client's existing operation may stop working or get other results. */
  breaking: SchemaChange[];
  /** Existing operations keep working, but a client may see values it did not know (an enum value). */
  dangerous: SchemaChange[];
  /** Nothing an existing client notices: additions, deprecations, descriptions. */
  safe: SchemaChange[];
}

/** The changes from `before` to `after`: graphql-js's breaking and dangerous ones, and the safe rest. */
export function diffSchemas(before: GraphQLSchema, after: GraphQLSchema): SchemaDiff {
  return {
    breaking: findBreakingChanges(before, after).map(({ type, description }) => ({ type, description })),
    dangerous: findDangerousChanges(before, after).map(({ type, description }) => ({ type, description })),
    safe: safeChanges(before, after),
  };
}

/** What graphql-js does not list because no client can notice it. */
function safeChanges(before: GraphQLSchema, after: GraphQLSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const add = (type: string, description: string) => changes.push({ type, description });
  const old = before.getTypeMap();
  for (const [name, type] of Object.entries(after.getTypeMap())) {
    // Built-in: Int, Float… appear once used, and are no news to a client.
    if (name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const previous = old[name];
    if (!previous) {
      add('TYPE_ADDED', `${name} was added.`);
      continue;
    }
    if ((previous.description ?? '') !== (type.description ?? ''))
      add('DESCRIPTION_CHANGED', `${name}'s description changed.`);
    for (const [member, was, is] of members(previous, type)) {
      const coordinate = `${name}.${member}`;
      if (!was) {
        // Fields of output types only: an added input field or enum value is graphql-js's (dangerous or breaking).
        if (isObjectType(type) || isInterfaceType(type)) add('FIELD_ADDED', `${coordinate} was added.`);
        continue;
      }
      if (!is) continue;
      if (!was.deprecationReason && is.deprecationReason)
        add('DEPRECATION_ADDED', `${coordinate} was deprecated: ${is.deprecationReason}`);
      else if (was.deprecationReason && !is.deprecationReason)
        add('DEPRECATION_REMOVED', `${coordinate} is no longer deprecated.`);
      else if (was.deprecationReason !== is.deprecationReason)
        add(
          'DEPRECATION_REASON_CHANGED',
          `${coordinate}'s deprecation reason changed: ${is.deprecationReason}`,
        );
      if ((was.description ?? '') !== (is.description ?? ''))
        add('DESCRIPTION_CHANGED', `${coordinate}'s description changed.`);
    }
  }
  const directives = new Set(before.getDirectives().map((d) => d.name));
  for (const directive of after.getDirectives()) {
    if (!directives.has(directive.name)) add('DIRECTIVE_ADDED', `@${directive.name} was added.`);
  }
  return changes;
}

interface Member {
  description?: string | null | undefined;
  deprecationReason?: string | null | undefined;
}

/** Fields (object, interface, input) or values (enum) of both versions of a type, by name. */
function members(before: GraphQLNamedType, after: GraphQLNamedType): Array<[string, Member?, Member?]> {
  const of = (type: GraphQLNamedType): Record<string, Member> => {
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) return type.getFields();
    if (isEnumType(type)) return Object.fromEntries(type.getValues().map((v) => [v.name, v]));
    return {};
  };
  const was = of(before);
  const is = of(after);
  return [...new Set([...Object.keys(was), ...Object.keys(is)])].map((name) => [name, was[name], is[name]]);
}
