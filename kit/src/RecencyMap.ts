/**
 * A Map of at most `limit` entries in recency order: `get` and `set` make an entry the most
 * recent, and past the bound the least recent goes. For what a process keeps in memory from reads
 * and events (copies of other services' records, hints), bounded whatever the traffic.
 */
export class RecencyMap<K, V> {
  /** Insertion order is recency: touching an entry moves it to the end. */
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The value, made the most recent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** The value, its recency left as it is. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Whether the key is held, its recency left as it is. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Sets the value as the most recent, dropping the least recent past the bound. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
