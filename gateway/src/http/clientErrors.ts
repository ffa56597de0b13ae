import { ErrorCode } from '@ticketing/kit/graphql';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Extensions that describe our insides, never the client's request: @apollo/gateway's
 * `serviceName` (the subgraph an error came from), the resilience layer's `service`, and a
 * subgraph's failed HTTP answer (`response`, with its URL).
 */
const INTERNAL_EXTENSIONS = ['serviceName', 'service', 'response', 'exception', 'http'];

/** A URL of any scheme, or an IPv4 address with or without its port. */
const ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/gi;

export const UNAVAILABLE_MESSAGE = 'A service this needs is temporarily unavailable; try again shortly';

/**
 * An error as a client may see it: no subgraph named (a subgraph is how we split the work, not
 * part of the API, and may be renamed or merged), no internal address in its message or
 * extensions, in development as in production. Unavailability says only that something is down
 * and when to retry.
 */
export function clientError(error: GraphQLFormattedError): GraphQLFormattedError {
  const extensions: Record<string, unknown> = { ...error.extensions };
  for (const name of INTERNAL_EXTENSIONS) delete extensions[name];
  for (const [name, value] of Object.entries(extensions)) {
    if (typeof value === 'string' && new RegExp(ADDRESS.source, 'i').test(value)) delete extensions[name];
  }
  const message =
    extensions.code === ErrorCode.SERVICE_UNAVAILABLE
      ? UNAVAILABLE_MESSAGE
      : error.message.replace(ADDRESS, 'an internal address');
  const cleaned: GraphQLFormattedError = { ...error, message };
  if (error.extensions) return { ...cleaned, extensions };
  return cleaned;
}

/** Wraps an Apollo Server `formatError` so that every error it formats passes `clientError`. */
export function withoutInternals<E>(
  format: (formatted: GraphQLFormattedError, error: E) => GraphQLFormattedError,
): (formatted: GraphQLFormattedError, error: E) => GraphQLFormattedError {
  return (formatted, error) => clientError(format(formatted, error));
}
