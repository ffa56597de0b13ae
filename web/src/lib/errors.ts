import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** One error as a person should read it: a message, and the input fields it concerns. */
export interface Problem {
  code: string;
  message: string;
  /** extensions.fields of a BAD_USER_INPUT error, by field name, each a full sentence. */
  fields: Record<string, string>;
}

type FieldError = { field?: unknown; message?: unknown };
type WireError = { message?: string; extensions?: Record<string, unknown> };

const FRIENDLY: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in to continue.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'We could not find that.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  ACCOUNT_BANNED: 'This account is banned. Contact support if you think this is a mistake.',
  SERVICE_UNAVAILABLE: 'Part of the marketplace is not answering right now. Please try again in a moment.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  GRAPHQL_VALIDATION_FAILED: 'This part of the marketplace is not available yet.',
  NETWORK: 'We could not reach the marketplace. Check your connection and try again.',
};

/** The server's own words are kept for these (they say what to do, e.g. when to try again). */
const KEEP_MESSAGE = [
  'BAD_USER_INPUT',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'ACCOUNT_BANNED',
];

/** What a field is called in a sentence. */
const FIELD_NAME: Record<string, string> = {
  title: 'The event',
  price: 'The price',
  email: 'The email address',
  password: 'The password',
  currentPassword: 'The current password',
  newPassword: 'The new password',
  token: 'The reset link',
  name: 'The key name',
  paymentMethodId: 'The card',
  input: 'The change',
};

/** The API's terse field messages, as the sentences a person should read. */
const SENTENCES: Record<string, string> = {
  'email:must be a valid email address': 'Enter an email address such as name@example.com.',
  'email:already in use': 'An account with this email address already exists. Sign in instead.',
  'password:must be 8 to 128 characters': 'Choose a password of 8 to 128 characters.',
  'newPassword:must be 8 to 128 characters': 'Choose a new password of 8 to 128 characters.',
  'currentPassword:Email or password is incorrect': 'This is not your current password.',
  'token:This reset link is invalid, used or expired: ask for a new one':
    'This reset link is invalid, already used or expired. Ask for a new one.',
  'price:must be greater than 0': 'Enter a price greater than $0, such as 25 or 19.99.',
  'price:must have at most 2 decimals': 'Enter the price in dollars and cents, with at most 2 decimals.',
  'price:must be at most 1,000,000': 'Enter a price of at most $1,000,000.',
  // The form's price goes as priceMoney (an exact decimal string in USD): its problems, as above.
  'price:must be at least 0.01 USD': 'Enter a price greater than $0, such as 25 or 19.99.',
  'price:must have at most 2 decimals in USD':
    'Enter the price in dollars and cents, with at most 2 decimals.',
  'price:must be at most 1000000.00 USD': 'Enter a price of at most $1,000,000.',
  'price:must be a decimal such as "49.99": digits, optionally a point and decimals':
    'Enter the price as a number, such as 25 or 19.99.',
  'title:must be 1 to 200 characters': 'Enter the event, in 1 to 200 characters.',
  'input:give a title or a price to change': 'Change the event or the price before saving.',
};

/** The form field an API input field is shown beside (the price form field sends priceMoney). */
const FORM_FIELD: Record<string, string> = { priceMoney: 'price', 'priceMoney.amount': 'price' };

/** A full sentence for a field's message: "must be …" becomes "The price must be ….". */
export function fieldSentence(field: string, message: string): string {
  const known = SENTENCES[`${field}:${message}`];
  if (known) return known;
  if (/^[A-Z]/.test(message)) return /[.!?]$/.test(message) ? message : `${message}.`;
  const subject = FIELD_NAME[field] ?? `The ${field}`;
  const verb = /^(must|is|are|has|have|cannot|can|should|was)\b/.test(message) ? '' : 'is ';
  return `${subject} ${verb}${message.replace(/[.]$/, '')}.`;
}

function fromWire(errors: readonly WireError[]): Problem {
  const first = errors[0];
  const code = String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const fields: Record<string, string> = {};
  for (const e of errors) {
    const list = e.extensions?.fields;
    if (!Array.isArray(list)) continue;
    for (const f of list as FieldError[]) {
      if (typeof f.field !== 'string' || typeof f.message !== 'string') continue;
      const field = FORM_FIELD[f.field] ?? f.field;
      fields[field] ??= fieldSentence(field, f.message);
    }
  }
  const message =
    (KEEP_MESSAGE.includes(code) && first?.message) ||
    FRIENDLY[code] ||
    first?.message ||
    FRIENDLY.INTERNAL_SERVER_ERROR;
  return { code, message: message ?? '', fields };
}

/** The GraphQL errors in a non-2xx answer's body (e.g. a 429 with the throttle's wording), if any. */
function errorsInBody(bodyText: string): WireError[] | null {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) && body.errors.length ? (body.errors as WireError[]) : null;
  } catch {
    return null;
  }
}

/** Turns whatever Apollo or fetch threw into a Problem (field errors beside inputs, the rest once). */
export function describeError(err: unknown): Problem {
  if (CombinedGraphQLErrors.is(err)) return fromWire(err.errors as readonly WireError[]);
  if (ServerError.is(err)) {
    const inBody = errorsInBody(err.bodyText);
    if (inBody) return fromWire(inBody);
    const code =
      err.statusCode === 429 ? 'RATE_LIMITED' : err.statusCode === 503 ? 'SERVICE_UNAVAILABLE' : 'NETWORK';
    return { code, message: FRIENDLY[code] ?? err.message, fields: {} };
  }
  return { code: 'NETWORK', message: FRIENDLY.NETWORK ?? 'Network error', fields: {} };
}

/** A problem found before asking the server (one field's sentence). */
export const fieldProblem = (field: string, sentence: string): Problem => ({
  code: 'BAD_USER_INPUT',
  message: sentence,
  fields: { [field]: sentence },
});

/**
 * The price typed, as the exact decimal string the API takes in US dollars (priceMoney), or null
 * when nothing is typed (a number input gives "" for "abc"). The API checks the rest.
 */
export function typedPrice(raw: FormDataEntryValue | null): { amount: string; currencyCode: 'USD' } | null {
  const text = String(raw ?? '').trim();
  return text ? { amount: text, currencyCode: 'USD' } : null;
}

export const PRICE_NOT_A_NUMBER = 'Enter the price as a number, such as 25 or 19.99.';
