import type { FetcherResponse } from '@apollo/utils.fetcher';
import type { Logger } from '@ticketing/kit';
import { serviceUnavailable } from '@ticketing/kit/graphql';
import { pause, type RetryPolicy } from './RetryPolicy';
import { isUnavailableStatus, isUnreachable } from './unreachable';

export interface CallOptions {
  /** A query or entity fetch: safe to send again. A mutation never is. */
  safe: boolean;
  /** The request's deadline (epoch ms); no retry is started that could not finish before it. */
  deadline?: number | undefined;
  /** Aborted at the deadline or when the client leaves: no more retries. */
  signal?: AbortSignal | undefined;
}

/**
 * Every call the gateway makes to a subgraph: when the subgraph cannot be reached or answers that
 * it cannot serve (connection refused or reset, 502/503/504), a safe call is retried with jittered
 * backoff within the request's deadline, and what still fails becomes SERVICE_UNAVAILABLE naming
 * the subgraph, never its address. Each subgraph going down and coming back is logged once.
 */
export class SubgraphCalls {
  private readonly down = new Set<string>();

  constructor(
    private readonly policy: RetryPolicy,
    private readonly logger?: Logger,
  ) {}

  async call(
    subgraph: string,
    options: CallOptions,
    send: () => Promise<FetcherResponse>,
  ): Promise<FetcherResponse> {
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const response = await send();
        if (!isUnavailableStatus(response)) {
          this.answered(subgraph);
          return response;
        }
        failure = new Error(`HTTP ${response.status}`);
      } catch (err) {
        if (options.signal?.aborted || !isUnreachable(err)) throw err;
        failure = err;
      }
      this.failed(subgraph, failure);
      const delay = options.safe ? this.policy.delayBefore(attempt, options.deadline) : undefined;
      if (delay === undefined || options.signal?.aborted) throw unavailable(subgraph);
      await pause(delay, options.signal);
      if (options.signal?.aborted) throw unavailable(subgraph);
    }
  }

  private failed(subgraph: string, err: unknown) {
    if (this.down.has(subgraph)) return;
    this.down.add(subgraph);
    const reason = (err as { code?: string }).code ?? (err as Error).message;
    this.logger?.warn({ subgraph, reason }, 'subgraph unavailable; safe calls are retried');
  }

  private answered(subgraph: string) {
    if (this.down.delete(subgraph)) this.logger?.info({ subgraph }, 'subgraph answers again');
  }
}

function unavailable(subgraph: string) {
  return serviceUnavailable(`The ${subgraph} service is temporarily unavailable; try again shortly`, {
    service: subgraph,
  });
}
