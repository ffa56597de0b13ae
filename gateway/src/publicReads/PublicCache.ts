import type { BufferedResponse } from '../httpFetcher';

export interface PublicCacheOptions {
  /** Bytes of answers (and their keys) kept; the least recently used go first. */
  maxBytes: number;
  /** An answer older than this is fetched again (a bound on any missed event). */
  maxAgeMs: number;
  now?: () => number;
}

interface Entry {
  response: BufferedResponse;
  bytes: number;
  storedAt: number;
}

/** Counters, for the logs and tests. */
export interface PublicCacheStats {
  hits: number;
  misses: number;
  stored: number;
  /** Answers not kept because an event that may change them arrived while they were fetched. */
  discarded: number;
  entries: number;
  bytes: number;
}

/**
 * Anonymous subgraph answers by subgraph and request body, each subgraph with a generation that
 * every event changing its data bumps (see subgraphsChangedBy). A bump drops that subgraph's
 * answers, and an answer is stored only if its subgraph's generation is still the one it was
 * fetched under: once this replica has seen an event, nothing from before it is served.
 */
export class PublicCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, stored: 0, discarded: 0 };
  private readonly now: () => number;

  constructor(private readonly options: PublicCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  generation(subgraph: string): number {
    return this.generations.get(subgraph) ?? 0;
  }

  get(subgraph: string, body: string): BufferedResponse | undefined {
    const key = keyOf(this.generation(subgraph), subgraph, body);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.storedAt <= this.options.maxAgeMs) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.counts.hits++;
      return entry.response;
    }
    if (entry) this.remove(key, entry);
    this.counts.misses++;
    return undefined;
  }

  /** Keeps an answer fetched under `generation`, unless the subgraph has changed since. */
  set(subgraph: string, body: string, generation: number, response: BufferedResponse): void {
    if (generation !== this.generation(subgraph)) {
      this.counts.discarded++;
      return;
    }
    const key = keyOf(generation, subgraph, body);
    const bytes = response.body.length + key.length * 2;
    if (bytes > this.options.maxBytes) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, { response, bytes, storedAt: this.now() });
    this.bytes += bytes;
    this.counts.stored++;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.remove(k, e);
    }
  }

  /** Everything cached from these subgraphs is out of date: their generations move on. */
  invalidate(subgraphs: readonly string[]): void {
    if (!subgraphs.length) return;
    for (const s of subgraphs) this.generations.set(s, this.generation(s) + 1);
    const prefixes = subgraphs.map((s) => `${s}\n`);
    for (const [k, e] of this.entries) {
      if (prefixes.some((p) => k.startsWith(p))) this.remove(k, e);
    }
  }

  stats(): PublicCacheStats {
    return { ...this.counts, entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string, entry: Entry) {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

const keyOf = (generation: number, subgraph: string, body: string) => `${subgraph}\n${generation}\n${body}`;
