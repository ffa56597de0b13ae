/**
 * DataLoader-style batching: every `load` made in the same tick is collected and fetched with one
 * call of `batch`, which returns values in the order of the keys (null for a missing one). Keys are
 * de-duplicated. Make one per request (see `batchedReference`) so nothing is cached across users.
 */
export class BatchLoader<K, V> {
  private pending: Map<K, Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>> | null =
    null;

  constructor(private readonly batch: (keys: K[]) => Promise<Array<V | null>>) {}

  load(key: K): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        this.pending = new Map();
        process.nextTick(() => this.dispatch());
      }
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private dispatch(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    const keys = [...pending.keys()];
    this.batch(keys).then(
      (values) => {
        keys.forEach((key, i) => {
          for (const w of pending.get(key) ?? []) w.resolve(values[i] ?? null);
        });
      },
      (err: unknown) => {
        for (const waiting of pending.values()) for (const w of waiting) w.reject(err);
      },
    );
  }
}
