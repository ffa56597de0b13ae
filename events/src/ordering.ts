/**
 * Thrown by a handler when the event cannot be applied yet (its predecessor has not arrived):
 * the consumer redelivers it after a growing delay instead of counting it as a failure.
 */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

export type VersionCheck = 'apply' | 'duplicate' | 'early';

/**
 * Versioned aggregates: version n is applied only on top of n-1. An older or equal version is a
 * duplicate (acknowledge and drop); a newer one must wait for the ones before it.
 */
export function checkVersion(current: number, incoming: number): VersionCheck {
  if (incoming <= current) return 'duplicate';
  if (incoming === current + 1) return 'apply';
  return 'early';
}

/** Redelivery delay for an event that came too early: 100 ms, doubling, at most 5 s. */
export function retryDelayMs(deliveryCount: number): number {
  return Math.min(100 * 2 ** Math.max(0, deliveryCount - 1), 5_000);
}
