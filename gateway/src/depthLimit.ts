import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * A validation rule refusing operations nested deeper than `max` fields (fragments followed,
 * introspection included). Runs once per distinct document: Apollo Server caches validation.
 */
export function depthLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
      if (depth > max) return depth;
      let deepest = depth;
      for (const sel of set.selections) {
        let d = depth;
        if (sel.kind === Kind.FIELD)
          d = sel.selectionSet ? depthOf(sel.selectionSet, depth + 1, seen) : depth;
        else if (sel.kind === Kind.INLINE_FRAGMENT) d = depthOf(sel.selectionSet, depth, seen);
        else if (!seen.has(sel.name.value)) {
          const fragment = fragments.get(sel.name.value);
          if (fragment) d = depthOf(fragment.selectionSet, depth, new Set([...seen, sel.name.value]));
        }
        if (d > deepest) deepest = d;
        if (deepest > max) break;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 1, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`Query is nested too deeply (more than ${max} levels)`, {
              nodes: [node],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
      },
    };
  };
}
