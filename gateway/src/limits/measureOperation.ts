import {
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';
import { CostModel } from './CostModel';

/** How big an operation is, known before anything runs. */
export interface OperationMeasure {
  /** Objects it may return plus entity hops (see measureOperation). */
  cost: number;
  /** Fields on the deepest path. */
  height: number;
  aliases: number;
  rootFields: number;
  /** Selections visited, fragments expanded: a fragment spread many times is paid every time. */
  selections: number;
}

/** A list with no `first` (nor a default for it) counts this many items, as Query.tickets pages. */
export const DEFAULT_LIST_SIZE = 20;
/** What a mutation's root field costs over the objects it returns (a write, like Shopify's 10). */
export const MUTATION_COST = 10;
/** Past this many selections the walk stops: the operation is over any sensible limit already. */
export const MAX_SELECTIONS = 20_000;

/**
 * The static cost and shape of the operation `operationName` of `document` with `variables`, as
 * GitHub and Shopify count it: every object returned costs 1, a list multiplies what is under it
 * by its size (its `first`, else the argument's declared default, else DEFAULT_LIST_SIZE; the
 * `first` of a connection sizes its lists), every call to another subgraph costs 1 per parent
 * object (an entity hop), a mutation's root field MUTATION_COST more; scalars are free.
 *
 * It reads the document before validation (a huge document is refused before graphql-js validates
 * it, whose cost grows with its square): unknown fields and fragments are skipped, not errors.
 * Returns undefined when the document has no such operation.
 */
export function measureOperation(
  model: CostModel,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): OperationMeasure | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  let operations = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION) {
      operations++;
      if (operationName ? def.name?.value === operationName : !operation) operation = def;
    }
  }
  if (!operation || (!operationName && operations > 1)) return undefined;

  const measure: OperationMeasure = { cost: 0, height: 0, aliases: 0, rootFields: 0, selections: 0 };
  const vars = variables ?? {};
  const defaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue?.kind === Kind.INT) defaults.set(v.variable.name.value, Number(v.defaultValue.value));
  }
  const intArgument = (args: readonly ArgumentNode[] | undefined, name: string): number | undefined => {
    const value = args?.find((a) => a.name.value === name)?.value;
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind === Kind.VARIABLE) {
      const given = vars[value.name.value] ?? defaults.get(value.name.value);
      return typeof given === 'number' && Number.isFinite(given) ? given : undefined;
    }
    return undefined;
  };

  const isRoot = (depth: number) => depth === 0;
  /**
   * `graph` resolved the objects of `typeName` this set selects on, `count` of them; `sliceSize`
   * is the `first` of a connection above, for its lists.
   */
  const walk = (
    set: SelectionSetNode,
    typeName: string,
    graph: string | undefined,
    count: number,
    depth: number,
    sliceSize: number | undefined,
    spread: ReadonlySet<string>,
  ): void => {
    const type = model.types.get(typeName);
    const hops = new Set<string>();
    for (const sel of set.selections) {
      if (++measure.selections > MAX_SELECTIONS) return;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition?.name.value ?? typeName;
        walk(sel.selectionSet, on, graph, count, depth, sliceSize, spread);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || spread.has(sel.name.value)) continue;
        const inner = new Set(spread).add(sel.name.value);
        walk(fragment.selectionSet, fragment.typeCondition.name.value, graph, count, depth, sliceSize, inner);
        continue;
      }
      if (sel.alias) measure.aliases++;
      if (isRoot(depth)) measure.rootFields++;
      measure.height = Math.max(measure.height, depth + 1);
      const field = type?.fields.get(sel.name.value);
      if (!field) continue; // __typename, introspection, or a field validation will refuse
      const fieldGraph = field.graph ?? (graph && type?.graphs.includes(graph) ? graph : type?.graphs[0]);
      if (!isRoot(depth) && fieldGraph && fieldGraph !== graph) hops.add(fieldGraph);
      if (isRoot(depth) && typeName === CostModel.roots.mutation) measure.cost += MUTATION_COST;
      if (!field.composite || !sel.selectionSet) continue;
      const first = field.slicing
        ? (intArgument(sel.arguments, 'first') ?? field.slicing.default)
        : undefined;
      const size = field.list ? (first ?? sliceSize ?? DEFAULT_LIST_SIZE) : 1;
      const objects = count * Math.max(size, 0);
      measure.cost += objects;
      const slice = field.slicing && !field.list ? (first ?? DEFAULT_LIST_SIZE) : undefined;
      walk(sel.selectionSet, field.type, fieldGraph, objects, depth + 1, slice, spread);
    }
    measure.cost += hops.size * count;
  };
  const root = CostModel.roots[operation.operation];
  walk(operation.selectionSet, root, undefined, 1, 0, undefined, new Set());
  return measure;
}

/** The measure of a query string's only operation, parsed within `maxTokens` (bench/limits). */
export function measureQuery(
  model: CostModel,
  query: string,
  maxTokens: number,
): OperationMeasure | undefined {
  return measureOperation(model, parse(query, { maxTokens, noLocation: true }), undefined, {});
}
