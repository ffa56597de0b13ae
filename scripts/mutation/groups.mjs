// @ts-check
// The critical modules, grouped with the tests that cover them. Each group is one Stryker run whose
// jest sees only those tests, so a run costs minutes (a mutant re-runs only the tests covering it).

/** @typedef {{ name: string, mutate: string[], tests: string[] }} Group */

/** @type {Group[]} */
export const GROUPS = [
  {
    name: 'ordering',
    mutate: ['events/src/applyInOrder.ts', 'events/src/ordering.ts'],
    tests: ['events/src/applyInOrder.test.ts', 'events/src/ordering.test.ts'],
  },
  {
    name: 'validation',
    mutate: ['subgraphs/tickets/src/validation.ts', 'subgraphs/users/src/validation.ts'],
    tests: ['subgraphs/tickets/src/validation.test.ts', 'subgraphs/users/src/validation.test.ts'],
  },
  {
    name: 'auth',
    mutate: ['kit/src/auth/hs256.ts', 'kit/src/auth/identityToken.ts', 'kit/src/auth/sessionProtocol.ts'],
    tests: ['kit/src/auth/*.test.ts'],
  },
  {
    name: 'order-decisions',
    mutate: ['subgraphs/orders/src/decisions.ts'],
    tests: ['subgraphs/orders/src/decisions*.test.ts'],
  },
  {
    name: 'ticket-decisions',
    mutate: ['subgraphs/tickets/src/decisions.ts'],
    tests: ['subgraphs/tickets/src/decisions*.test.ts'],
  },
  {
    name: 'outbox',
    mutate: ['events/src/OutboxRelay.ts', 'events/src/outbox.ts'],
    // Not OutboxRelay.outage.test.ts: it restarts a nats-server (20 s a run); its paths are in SURVIVORS.md.
    tests: ['events/src/OutboxRelay.test.ts'],
  },
  {
    name: 'order-lifecycle',
    // The lock itself is taken in OrderResolver (one unique-index insert), covered by e2e/src/purchaseRace.test.ts.
    mutate: ['subgraphs/orders/src/OrderLifecycle.ts'],
    tests: ['subgraphs/orders/src/handleEvents.test.ts'],
  },
  {
    name: 'ticket-writer',
    // The writer is exercised through the whole stack only.
    mutate: ['subgraphs/tickets/src/TicketWriter.ts'],
    tests: ['e2e/src/tickets.test.ts'],
  },
  {
    name: 'payments',
    mutate: ['subgraphs/payments/src/PaymentLedger.ts', 'subgraphs/payments/src/Claims.ts'],
    tests: ['subgraphs/payments/src/{declines,payOrder,reconcile,refunds,webhook}.test.ts'],
  },
  {
    name: 'subscriptions',
    mutate: ['gateway/src/subscriptions/*.ts', '!gateway/src/subscriptions/*.test.ts'],
    tests: ['gateway/src/subscriptions/*.test.ts', 'e2e/src/subscriptions.test.ts'],
  },
];
