export interface SequenceOptions {
  /** Requests measured, at most. */
  count: number;
  /** Requests made first and not counted (connections, JIT, caches). */
  warmUp: number;
  /** Stop measuring after this long, once `minCount` requests are in (large sizes are slow). */
  budgetMs: number;
  minCount: number;
}

/**
 * Latencies of `request(i)` made one after another, after `warmUp` uncounted ones. A request that
 * throws stops the bench: a failure is never a sample.
 */
export async function timeSequence(
  options: SequenceOptions,
  request: (i: number) => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < options.warmUp; i++) await request(i);
  const latencies: number[] = [];
  const deadline = performance.now() + options.budgetMs;
  for (let i = 0; i < options.count; i++) {
    if (latencies.length >= options.minCount && performance.now() > deadline) break;
    const start = performance.now();
    await request(options.warmUp + i);
    latencies.push(performance.now() - start);
  }
  return latencies;
}
