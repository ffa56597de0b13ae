import type { FetcherResponse } from '@apollo/utils.fetcher';

/** Socket errors of a subgraph that is down, restarting, or went away mid-answer. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Answers of a proxy or a subgraph that cannot serve now (one answering 503 is restarting or without its database). */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/** True when the call failed because the subgraph could not be reached (not because of the request). */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

export function isUnavailableStatus(response: FetcherResponse): boolean {
  return UNAVAILABLE_STATUSES.has(response.status);
}
