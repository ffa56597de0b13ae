import { type DocumentNode, Kind } from 'graphql';

/**
 * True when a subgraph call only reads (a query, an entity fetch), so sending it again after a
 * failure changes nothing. A mutation is never sent twice: its first attempt may have run.
 */
export function isSafeOperation(document: DocumentNode | undefined, query: string): boolean {
  if (document) {
    return document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query');
  }
  // The planner's subgraph operations start with their keyword, or `{` for a query.
  return /^\s*(query\b|\{)/.test(query);
}
