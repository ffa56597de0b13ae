import type { IncomingMessage } from 'node:http';
import { badUserInput } from './errors';

/** The header a client sends a mutation's idempotency key in, as Stripe's API takes it (lower case, as node reads it). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** At most 255 characters, as Stripe's keys; a UUID v4 (36) is what we suggest. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Printable ASCII without spaces or quotes: UUIDs, ULIDs, base64url and `order-42:try` all fit. */
const KEY = /^[A-Za-z0-9._:~+/=-]+$/;

/** The `idempotencyKey` argument's description, the same on every mutation that takes one. */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes a retry safe: a key of your own (a UUID, say) that a retry repeats. Within 24 hours the ' +
  'same key with the same input returns the first result and does nothing again; with other ' +
  'input it is refused (IDEMPOTENCY_KEY_REUSED, naming the fields). Or send it as the ' +
  'Idempotency-Key header. At most 255 of A-Z a-z 0-9 . _ : ~ + / = -.';

const RULE = `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : ~ + / = -`;

/**
 * The request's idempotency key: the mutation's `idempotencyKey` argument or the
 * `Idempotency-Key` header the gateway forwards, or null when neither is sent. A malformed key,
 * or an argument that differs from the header, is BAD_USER_INPUT naming `idempotencyKey`: a key
 * the server changed or ignored would not protect the retry it is for.
 */
export function idempotencyKeyOf(
  ctx: { req?: Pick<IncomingMessage, 'headers'> },
  argument: string | null | undefined,
): string | null {
  const sent = ctx.req?.headers[IDEMPOTENCY_KEY_HEADER];
  const header = Array.isArray(sent) ? sent.join(', ') : sent;
  if (argument !== undefined && argument !== null && header !== undefined && argument !== header) {
    const message = 'differs from the Idempotency-Key header; send one of them';
    throw badUserInput([{ field: 'idempotencyKey', message }], `idempotencyKey ${message}`);
  }
  const key = argument ?? header;
  if (key === undefined || key === null) return null;
  if (key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !KEY.test(key)) {
    throw badUserInput([{ field: 'idempotencyKey', message: RULE }], `idempotencyKey ${RULE}`);
  }
  return key;
}
