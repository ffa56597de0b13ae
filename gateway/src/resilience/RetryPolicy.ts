/** How the gateway retries a safe subgraph call that could not reach its subgraph. */
export interface RetryPolicyOptions {
  /** Retries after the first attempt; 0 turns retrying off. */
  retries: number;
  /** The first retry waits about this long; each further one twice the one before. */
  baseDelayMs: number;
  /** No wait is longer. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * min(max, base·2ⁿ), so callers that failed together (a subgraph restarting under load) do not
 * come back together; and no retry starts that could not finish before the request's deadline.
 */
export class RetryPolicy {
  constructor(
    readonly options: RetryPolicyOptions,
    private readonly random: () => number = Math.random,
  ) {}

  get enabled(): boolean {
    return this.options.retries > 0;
  }

  /** The wait before retry `attempt` (1-based), or undefined when no retry is left or time is up. */
  delayBefore(attempt: number, deadline: number | undefined, now = Date.now()): number | undefined {
    const { retries, baseDelayMs, maxDelayMs } = this.options;
    if (attempt > retries) return undefined;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    // Room for the call itself after the wait: a retry that cannot answer in time is not made.
    if (deadline !== undefined && now + delay + baseDelayMs >= deadline) return undefined;
    return delay;
  }
}

/** Waits `ms`, or less when `signal` aborts (the request's deadline passed or its client left). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
