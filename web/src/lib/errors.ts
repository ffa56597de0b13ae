import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** One error as a person should read it: a message, and the input fields it concerns. */
export interface Problem {
  code: string;
  message: string;
  /** extensions.fields of a BAD_USER_INPUT error, by field name. */
  fields: Record<string, string>;
}

type FieldError = { field?: unknown; message?: unknown };

const FRIENDLY: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in to continue.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'We could not find that.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  GRAPHQL_VALIDATION_FAILED: 'This part of the marketplace is not available yet.',
  NETWORK: 'We could not reach the marketplace. Check your connection and try again.',
};

/** Turns whatever Apollo or fetch threw into a Problem (field errors beside inputs, the rest once). */
export function describeError(err: unknown): Problem {
  if (CombinedGraphQLErrors.is(err)) {
    const first = err.errors[0];
    const code = String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    const fields: Record<string, string> = {};
    for (const e of err.errors) {
      const list = e.extensions?.fields;
      if (!Array.isArray(list)) continue;
      for (const f of list as FieldError[]) {
        if (typeof f.field === 'string' && typeof f.message === 'string') fields[f.field] ??= f.message;
      }
    }
    const keepMessage = ['BAD_USER_INPUT', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(
      code,
    );
    const message =
      (keepMessage && first?.message) || FRIENDLY[code] || first?.message || FRIENDLY.INTERNAL_SERVER_ERROR;
    return { code, message: message ?? '', fields };
  }
  if (ServerError.is(err)) {
    const code = err.statusCode === 429 ? 'RATE_LIMITED' : 'NETWORK';
    return { code, message: FRIENDLY[code] ?? err.message, fields: {} };
  }
  return { code: 'NETWORK', message: FRIENDLY.NETWORK ?? 'Network error', fields: {} };
}
