import type { Logger } from '@ticketing/kit';
import type { Identity } from '@ticketing/kit/auth';
import { rateLimited } from '@ticketing/kit/graphql';
import type { DocumentNode, GraphQLError } from 'graphql';
import type { CostModel } from './CostModel';
import { measureOperation, type OperationMeasure } from './measureOperation';
import { type OperationLimits, refusalOf } from './operationLimits';
import type { RateLimiter, RateLimitState } from './RateLimiter';

export interface OperationGuardOptions {
  model: CostModel;
  limits: OperationLimits;
  rateLimiter: RateLimiter;
  logger?: Logger;
}

/** An operation's measure, and why it is refused if it is. */
export interface Inspection {
  /** Undefined when the document has no such operation (graphql-js says so). */
  measure?: OperationMeasure;
  refusal?: GraphQLError;
}

/**
 * The one gate of HTTP and WebSocket operations: the static limits before anything runs, then
 * the caller's rate limit spent by the operation's cost (1 for a refused one, so refusals are
 * throttled too).
 */
export class OperationGuard {
  constructor(private readonly options: OperationGuardOptions) {}

  get limits(): OperationLimits {
    return this.options.limits;
  }

  inspect(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Readonly<Record<string, unknown>> | null | undefined,
  ): Inspection {
    const measure = measureOperation(this.options.model, document, operationName, variables);
    if (!measure) return {};
    const refusal = refusalOf(measure, this.options.limits);
    return refusal ? { measure, refusal } : { measure };
  }

  /**
   * Spends `cost` from the caller's bucket. Undefined when the caller's kind is not limited, or
   * when Redis failed (logged): an outage of Redis does not stop the API.
   */
  async spend(
    identity: Identity | null,
    clientAddress: string | undefined,
    cost: number,
  ): Promise<RateLimitState | undefined> {
    const { rateLimiter, logger } = this.options;
    const key = rateLimiter.keyOf(identity, clientAddress);
    if (!key) return undefined;
    try {
      return await rateLimiter.spend(key, cost);
    } catch (err) {
      logger?.warn({ err }, 'rate limit not checked: Redis failed');
      return undefined;
    }
  }
}

/** RATE_LIMITED for a refused spend, with when to retry. */
export function throttled(state: RateLimitState): GraphQLError {
  return rateLimited(
    `Rate limit reached: ${state.remaining} of ${state.limit} points left; retry in ${state.retryAfterSeconds} s`,
    state.retryAfterSeconds,
  );
}
