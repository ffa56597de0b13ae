import { BatchLoader } from './BatchLoader';

/**
 * A `__resolveReference` that batches: all representations of one type in one request are
 * collected into one batch (duplicates once), and each distinct id is loaded with `loadOne` in
 * parallel. Loading by id rather than one `{_id: {$in: ids}}` query is deliberate: an `_id`
 * lookup is served from an index by every backend, while FerretDB reads the whole collection for
 * `$in` (issue 13). One loader per request context, so nothing leaks between requests.
 *
 *   referenceResolvers: { User: { __resolveReference: batchedReference((id) => Users.findById(id)...) } }
 */
export function batchedReference<T, C extends object>(
  loadOne: (id: string, context: C) => Promise<T | null>,
): (reference: { id?: unknown }, context: C) => Promise<T | null> {
  const loaders = new WeakMap<C, BatchLoader<string, T>>();
  return (reference, context) => {
    if (typeof reference.id !== 'string') return Promise.resolve(null);
    let loader = loaders.get(context);
    if (!loader) {
      loader = new BatchLoader<string, T>((ids) => Promise.all(ids.map((id) => loadOne(id, context))));
      loaders.set(context, loader);
    }
    return loader.load(reference.id);
  };
}
