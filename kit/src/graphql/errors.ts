import { GraphQLError } from 'graphql';

/**
 * The error codes of DESIGN.md, the one registry every subgraph and the gateway use. A client can
 * rely on `extensions.code` being one of these (or one of Apollo's request-level codes such as
 * GRAPHQL_VALIDATION_FAILED), never on the message.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The operation's static cost is over the limit; `extensions: { cost, limit }`. Refused unrun. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** Too many aliases, root fields or levels; `extensions: { measure, value, limit }`. Refused unrun. */
  OPERATION_TOO_COMPLEX: 'OPERATION_TOO_COMPLEX',
  /** The request ran out of time or the service is overloaded: retry later (never a fault). */
  SERVICE_BUSY: 'SERVICE_BUSY',
  /**
   * An idempotency key was sent again with different input; `extensions.fields` names each field
   * that differs from the first request's. Nothing was done: use a new key for a new request.
   */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The account is banned by an operator: it cannot sign in (told after a right password only). */
  ACCOUNT_BANNED: 'ACCOUNT_BANNED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /**
   * A service or what it needs (its database, another subgraph) cannot be reached now, e.g. while
   * it restarts: retry after `extensions.retryAfterSeconds` (never a fault of the request). HTTP
   * 503 with Retry-After when nothing of the answer could be served.
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Why one input field was refused, where a program may want to tell reasons apart: the `code` of a
 * problem in `extensions.fields` of BAD_USER_INPUT (money so far). Stable, like ErrorCode.
 */
export const FieldProblemCode = {
  /** Not a plain decimal string: digits, optionally a point and more digits ("49.99"; never "1e3", "-1", " 5", "1,000"). */
  INVALID_DECIMAL: 'INVALID_DECIMAL',
  /** More decimals than the currency has (USD: 2). */
  TOO_MANY_DECIMALS: 'TOO_MANY_DECIMALS',
  /** Below the field's minimum or above its maximum (the message says which). */
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  /** Two fields that say the same thing (a deprecated field and its replacement) were both given. */
  CONFLICTING_FIELDS: 'CONFLICTING_FIELDS',
  /** A field that may be given in two forms was given in neither. */
  REQUIRED: 'REQUIRED',
} as const;
export type FieldProblemCode = (typeof FieldProblemCode)[keyof typeof FieldProblemCode];

/** One problem with one input field, as listed in `extensions.fields` of BAD_USER_INPUT. */
export interface FieldProblem {
  /** The input field's path, e.g. `price` or `priceMoney.amount`. */
  field: string;
  message: string;
  /** Where the reason has a stable name (FieldProblemCode). */
  code?: FieldProblemCode;
}

/**
 * A GraphQL error carrying one of the registry's codes, plus any extra extensions. These are
 * answers (the ticket is taken, the input is wrong), not faults: no stack trace is captured, which
 * under a rush of 200 buyers getting CONFLICT was a measurable share of a subgraph's CPU.
 */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const error = new GraphQLError(message, { extensions: { ...extensions, code } });
    // A plain value: graphql-js reads `stack` when it locates the error, and formatting even an
    // empty trace goes through Node's prepareStackTrace.
    Object.defineProperty(error, 'stack', {
      value: `GraphQLError: ${message}`,
      writable: true,
      configurable: true,
    });
    return error;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const unauthenticated = (message = 'You must be signed in') =>
  appError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = 'Not allowed') => appError(ErrorCode.FORBIDDEN, message);

export const notFound = (what: string) => appError(ErrorCode.NOT_FOUND, `${what} not found`);

export const badUserInput = (fields: FieldProblem[], message = 'Invalid input') =>
  appError(ErrorCode.BAD_USER_INPUT, message, { fields });

export const conflict = (message: string) => appError(ErrorCode.CONFLICT, message);

export const accountBanned = () =>
  appError(
    ErrorCode.ACCOUNT_BANNED,
    'This account is banned. Contact support if you think this is a mistake.',
  );

export const serviceBusy = (message = 'The service is busy; try again shortly') =>
  appError(ErrorCode.SERVICE_BUSY, message);

export const rateLimited = (message: string, retryAfterSeconds?: number) =>
  appError(ErrorCode.RATE_LIMITED, message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });

export const idempotencyKeyReused = (fields: string[]) =>
  appError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    `This idempotency key was first used with a different ${fields.join(', ')}; use a new key for a new request`,
    {
      fields: fields.map((field) => ({
        field,
        message: 'differs from the first request with this idempotency key',
      })),
    },
  );

export const serviceUnavailable = (
  message = 'A service is temporarily unavailable; try again shortly',
  extensions: Record<string, unknown> = {},
) => appError(ErrorCode.SERVICE_UNAVAILABLE, message, { retryAfterSeconds: 1, ...extensions });
