import {
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  Kind,
  parse,
  type TypeNode,
  type ValueNode,
} from 'graphql';

/** What the cost of an operation needs to know of one field of the supergraph. */
export interface CostField {
  /** The named type it returns. */
  type: string;
  /** It returns an object (an interface or union counts): each one costs a point. */
  composite: boolean;
  list: boolean;
  /** It takes `first` (a list, or a connection whose lists `first` sizes), with its declared default. */
  slicing?: { default?: number };
  /** The subgraph that resolves it; absent when any subgraph of the type can (keys, value types). */
  graph?: string;
}

export interface CostType {
  /** Subgraphs that know the type. */
  graphs: string[];
  fields: Map<string, CostField>;
}

/**
 * The supergraph as the cost of an operation sees it: each type's fields, which subgraph resolves
 * each (a field of another subgraph than its parent's is an entity hop), which ones are lists and
 * which take `first`. Built once per supergraph from its SDL (join directives included, which the
 * API schema drops).
 */
export class CostModel {
  private constructor(readonly types: ReadonlyMap<string, CostType>) {}

  /** The root type of an operation (the supergraph keeps the default names). */
  static readonly roots = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

  static fromSupergraph(sdl: string): CostModel {
    const document = parse(sdl, { noLocation: true });
    const composite = new Set<string>();
    for (const def of document.definitions) {
      if (
        def.kind === Kind.OBJECT_TYPE_DEFINITION ||
        def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        def.kind === Kind.UNION_TYPE_DEFINITION
      )
        composite.add(def.name.value);
    }
    const types = new Map<string, CostType>();
    for (const def of document.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const graphs = (def.directives ?? [])
        .filter((d) => d.name.value === 'join__type')
        .flatMap((d) => enumArgument(d, 'graph') ?? []);
      const fields = new Map<string, CostField>();
      for (const field of def.fields ?? []) fields.set(field.name.value, costField(field, composite));
      types.set(def.name.value, { graphs, fields });
    }
    return new CostModel(types);
  }
}

function costField(field: FieldDefinitionNode, composite: Set<string>): CostField {
  const { name, list } = unwrap(field.type);
  const first = field.arguments?.find((a) => a.name.value === 'first');
  const graphs = (field.directives ?? [])
    .filter((d) => d.name.value === 'join__field')
    .flatMap((d) => enumArgument(d, 'graph') ?? []);
  const firstDefault = first?.defaultValue?.kind === Kind.INT ? Number(first.defaultValue.value) : undefined;
  return {
    type: name,
    composite: composite.has(name),
    list,
    ...(first ? { slicing: firstDefault === undefined ? {} : { default: firstDefault } } : {}),
    // A field several subgraphs resolve (shareable) has no single owner: no hop is counted for it.
    ...(graphs.length === 1 && graphs[0] ? { graph: graphs[0] } : {}),
  };
}

function unwrap(type: TypeNode): { name: string; list: boolean } {
  let list = false;
  let t = type;
  while (t.kind !== Kind.NAMED_TYPE) {
    if (t.kind === Kind.LIST_TYPE) list = true;
    t = t.type;
  }
  return { name: t.name.value, list };
}

function enumArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value: ValueNode | undefined = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.ENUM ? value.value : undefined;
}
