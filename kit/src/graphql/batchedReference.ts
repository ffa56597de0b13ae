import { BatchLoader } from './BatchLoader';

/**
 * A `__resolveReference` that batches: all representations of one type in one `_entities` call (and
 * one request) are fetched with a single `load(ids)`; `load` returns the found entities in any order,
 * each with a string `id`. One loader per request context, so nothing leaks between requests.
 *
 *   referenceResolvers: { User: { __resolveReference: batchedReference((ids) => Users.find(...)) } }
 */
export function batchedReference<T extends { id: string }, C extends object>(
  load: (ids: string[], context: C) => Promise<T[]>,
): (reference: { id?: unknown }, context: C) => Promise<T | null> {
  const loaders = new WeakMap<C, BatchLoader<string, T>>();
  return (reference, context) => {
    if (typeof reference.id !== 'string') return Promise.resolve(null);
    let loader = loaders.get(context);
    if (!loader) {
      loader = new BatchLoader<string, T>(async (ids) => {
        const found = new Map((await load(ids, context)).map((e) => [e.id, e]));
        return ids.map((id) => found.get(id) ?? null);
      });
      loaders.set(context, loader);
    }
    return loader.load(reference.id);
  };
}
