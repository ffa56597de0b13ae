import { appError, ErrorCode } from '@ticketing/kit/graphql';
import type { GraphQLError } from 'graphql';
import { MAX_SELECTIONS, type OperationMeasure } from './measureOperation';

/** The bounds every operation is held to, HTTP and WebSocket alike (settings MAX_OPERATION_*). */
export interface OperationLimits {
  cost: number;
  height: number;
  aliases: number;
  rootFields: number;
}

/**
 * Why `measure` is refused under `limits`, or undefined when it is within them. The cost has its
 * own code (a client may retry with a smaller `first`); the shape limits share one, naming which.
 */
export function refusalOf(measure: OperationMeasure, limits: OperationLimits): GraphQLError | undefined {
  if (measure.selections > MAX_SELECTIONS)
    return tooComplex('selections', measure.selections, MAX_SELECTIONS, 'selections, fragments expanded');
  if (measure.height > limits.height) return tooComplex('height', measure.height, limits.height, 'levels');
  if (measure.aliases > limits.aliases)
    return tooComplex('aliases', measure.aliases, limits.aliases, 'aliases');
  if (measure.rootFields > limits.rootFields)
    return tooComplex('rootFields', measure.rootFields, limits.rootFields, 'root fields');
  if (measure.cost > limits.cost) {
    return appError(
      ErrorCode.COST_LIMIT_EXCEEDED,
      `The operation costs ${measure.cost} points, over the limit of ${limits.cost}: ask for fewer items (first) or fewer levels`,
      { cost: measure.cost, limit: limits.cost },
    );
  }
  return undefined;
}

function tooComplex(measure: string, value: number, limit: number, what: string): GraphQLError {
  return appError(
    ErrorCode.OPERATION_TOO_COMPLEX,
    `The operation has ${value} ${what}, over the limit of ${limit}`,
    {
      measure,
      value,
      limit,
    },
  );
}
