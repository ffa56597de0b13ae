import type { Claim, IdempotencyKeys, IdempotentCall } from './IdempotencyKeys';

/** A keyed mutation's call, its key null when the client sent none. */
export interface MaybeIdempotentCall extends Omit<IdempotentCall, 'key'> {
  key: string | null;
}

export interface ClaimOrReplay<T> extends Claim {
  /** The earlier call's answer, to return as it is; null: this call goes on, creating what `resultId` names. */
  replayed: T | null;
}

/**
 * The start of a mutation that takes an idempotency key: without a key nothing is claimed and the
 * call goes on under its own `resultId`. With one, the key is claimed naming `resultId` before
 * anything is written (IDEMPOTENCY_KEY_REUSED when an earlier call gave other input); when an
 * earlier call took it, `replay` looks for that call's result. Found, it is `replayed`; not found
 * (the first call died before writing, or is still running), the call goes on under the first
 * call's `resultId` and `payload`, so whichever attempt writes, it writes the same thing once.
 */
export async function claimOrReplay<T>(
  keys: IdempotencyKeys,
  call: MaybeIdempotentCall,
  replay: (first: Claim) => Promise<T | null>,
): Promise<ClaimOrReplay<T>> {
  const { key } = call;
  if (!key) return { replay: false, resultId: call.resultId, payload: call.payload ?? null, replayed: null };
  const claim = await keys.claim({ ...call, key });
  return { ...claim, replayed: claim.replay ? await replay(claim) : null };
}
