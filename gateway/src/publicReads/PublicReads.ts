import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { BufferedResponse, ResponseHeaders } from '../httpFetcher';
import { InflightRequests } from './InflightRequests';
import { PublicCache, type PublicCacheStats } from './PublicCache';
import { CACHEABLE_SUBGRAPHS, subgraphsChangedBy } from './subgraphsChangedBy';

export interface PublicReadsOptions {
  /** Share identical anonymous reads in flight (SUBGRAPH_DEDUP). */
  dedup: boolean;
  /** Bytes of cached anonymous answers; 0 turns the cache off (PUBLIC_CACHE_MAX_BYTES). */
  cacheMaxBytes: number;
  /** Age bound of a cached answer (PUBLIC_CACHE_MAX_AGE_MS). */
  cacheMaxAgeMs: number;
  /** Response headers that make an answer someone's own (a session token): never cached. */
  privateHeaders?: readonly string[];
  now?: () => number;
}

export interface PublicReadsStats extends PublicCacheStats {
  /** Subgraph calls made for anonymous reads. */
  fetched: number;
  /** Anonymous reads answered by another caller's call in flight. */
  shared: number;
}

/**
 * Anonymous reads of subgraphs: the answer to a query sent without an identity depends only on the
 * subgraph, the request body and the data (the client address the identity token carries is read
 * only by sign-in, a mutation), so callers may share one call and, for subgraphs whose changes are
 * all announced by events, a cached answer. Signed-in callers never come here.
 */
export class PublicReads {
  /** Generations by subgraph, and the cached answers when the cache is on. */
  private readonly cache: PublicCache;
  private readonly inflight = new InflightRequests<BufferedResponse>();
  /** Events seen: the generation of subgraphs that are never cached, for sharing only. */
  private events = 0;
  private fetched = 0;

  constructor(private readonly options: PublicReadsOptions) {
    this.cache = new PublicCache({
      maxBytes: options.cacheMaxBytes,
      maxAgeMs: options.cacheMaxAgeMs,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  get enabled(): boolean {
    return this.options.dedup || this.options.cacheMaxBytes > 0;
  }

  /** A domain event this replica has seen: drops what it may have changed, before anyone reads. */
  onEvent(eventType: string): void {
    this.events++;
    this.cache.invalidate(subgraphsChangedBy(eventType));
  }

  /** The subgraph's answer to an anonymous query: cached, shared or fetched. */
  async read(
    subgraph: string,
    fetcher: Fetcher,
    url: string,
    body: string,
    /** Made only when a call is made (a cached or shared answer needs none). */
    init: () => FetcherRequestInit,
  ): Promise<BufferedResponse> {
    const cacheable = this.options.cacheMaxBytes > 0 && CACHEABLE_SUBGRAPHS.includes(subgraph);
    const hit = cacheable ? this.cache.get(subgraph, body) : undefined;
    if (hit) return hit;
    // The generation the answer is fetched under: a later event keeps it out of the cache, and
    // callers arriving after that event start a call of their own instead of joining this one.
    const generation = CACHEABLE_SUBGRAPHS.includes(subgraph) ? this.cache.generation(subgraph) : this.events;
    const fetch = async () => {
      this.fetched++;
      const response = await readWhole(await fetcher(url, { ...init(), body }));
      if (cacheable && this.storable(response)) {
        this.cache.set(subgraph, body, generation, response);
      }
      return response;
    };
    if (!this.options.dedup) return fetch();
    return this.inflight.run(`${subgraph}\n${generation}\n${body}`, fetch);
  }

  /** A plain answer: no errors (perhaps passing), nothing private. */
  private storable(response: BufferedResponse): boolean {
    if (!response.ok || response.body.includes('"errors"')) return false;
    return !this.options.privateHeaders?.some((h) => response.headers.has(h));
  }

  stats(): PublicReadsStats {
    return { ...this.cache.stats(), fetched: this.fetched, shared: this.inflight.shared };
  }
}

/** The answer as bytes that every caller reads afresh (any Fetcher's response, once). */
async function readWhole(response: Awaited<ReturnType<Fetcher>>): Promise<BufferedResponse> {
  if (response instanceof BufferedResponse) return response;
  const headers = new ResponseHeaders();
  for (const [name, value] of response.headers) headers.set(name, value);
  const body = Buffer.from(await response.arrayBuffer());
  return new BufferedResponse(response.url, response.status, response.statusText, headers, body);
}
