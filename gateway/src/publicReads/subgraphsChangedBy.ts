/**
 * Which subgraphs' public (anonymous) answers may be cached, and the events that announce every
 * change to them. A subgraph is listed only when each change to what it shows anonymous callers is
 * followed by one of these events, published after the write (the outbox): tickets owns its
 * listings and announces each one; users shows anonymous callers only accounts, announced at
 * creation and update. Orders and payments show anonymous callers nothing worth keeping, so their
 * answers are never cached (identical anonymous reads in flight are still shared).
 */
export const CACHE_TAGS: Readonly<Record<string, readonly string[]>> = {
  tickets: ['TicketCreated', 'TicketUpdated'],
  users: ['UserCreated', 'UserUpdated'],
};

export const CACHEABLE_SUBGRAPHS: readonly string[] = Object.keys(CACHE_TAGS);

const byEvent = new Map<string, string[]>();
for (const [subgraph, events] of Object.entries(CACHE_TAGS)) {
  for (const type of events) byEvent.set(type, [...(byEvent.get(type) ?? []), subgraph]);
}
/** Event types the catalogue has that change nothing cached (checked by a test against it). */
const CHANGES_NOTHING_CACHED = new Set([
  'OrderCreated',
  'OrderCancelled',
  'OrderExpired',
  'OrderCompleted',
  'OrderPaymentUpdated',
  'ChargeAttempted',
  'ChargeCreated',
  'ChargeFailed',
  'ChargeRefunded',
  'PasswordResetRequested',
]);

/**
 * The cacheable subgraphs whose answers an event may have changed. An event type this table does
 * not know (a new one in the catalogue) drops every cached answer: never stale by omission.
 */
export function subgraphsChangedBy(eventType: string): readonly string[] {
  const known = byEvent.get(eventType);
  if (known) return known;
  return CHANGES_NOTHING_CACHED.has(eventType) ? [] : CACHEABLE_SUBGRAPHS;
}

export const knownEventTypes = (): string[] => [...byEvent.keys(), ...CHANGES_NOTHING_CACHED];
