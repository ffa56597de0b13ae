import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors';
import { isUnavailableError } from './unavailable';

/** Codes a client may see as they are: the registry's, and Apollo's request-level ones. */
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export interface FormatErrorOptions {
  /** Mask unknown errors and drop stack traces. Default: NODE_ENV === 'production'. */
  production?: boolean;
  /** Called with every error that gets masked (log it: the client only sees the code). */
  onMasked?: (error: unknown) => void;
}

/**
 * An Apollo Server `formatError`: errors with a known code keep their message and extensions
 * (never a stack trace in production); anything else becomes INTERNAL_SERVER_ERROR, its message
 * masked in production.
 */
export function createFormatError(options: FormatErrorOptions = {}) {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      if (!production) return formatted;
      const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // A dependency down or restarting is not a fault of ours or the client's: retry shortly.
    if (isUnavailableError(error)) {
      return {
        message: 'A service this needs is temporarily unavailable; try again shortly',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: 1 },
      };
    }
    options.onMasked?.(error instanceof GraphQLError ? (error.originalError ?? error) : error);
    if (!production)
      return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
