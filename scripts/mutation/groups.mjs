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
    // OutboxRelay.publishes.test.ts sees every call the relay makes at the publisher (order, duplicates,
    // retries with a publisher that fails at the boundary) and its reads. Left out for run time:
    // OutboxRelay.test.ts (the same paths seen by a stream consumer: a stream and a durable consumer per
    // mutant) and OutboxRelay.outage.test.ts (restarts a nats-server, 20 s a run). outbox.trim.test.ts:
    // the outbox's bound (published entries trimmed, pending ones never), without a relay.
    tests: [
      'events/src/OutboxRelay.publishes.test.ts',
      'events/src/OutboxRelay.carries.test.ts',
      'events/src/outbox.test.ts',
      'events/src/outbox.trim.test.ts',
    ],
  },
  {
    name: 'order-lifecycle',
    // The lock itself is taken in OrderResolver (one unique-index insert), covered by e2e/src/purchaseRace.test.ts;
    // its settling and release are here, tested on FerretDB without the service (seconds, not minutes).
    mutate: ['subgraphs/orders/src/OrderLifecycle.ts'],
    tests: ['subgraphs/orders/src/OrderLifecycle.test.ts'],
  },
  {
    name: 'ticket-writer',
    // Its own test on FerretDB (e2e/src/tickets.test.ts goes through the whole stack: too slow per mutant).
    mutate: ['subgraphs/tickets/src/TicketWriter.ts'],
    tests: ['subgraphs/tickets/src/TicketWriter.test.ts'],
  },
  {
    name: 'payments',
    mutate: ['subgraphs/payments/src/PaymentLedger.ts', 'subgraphs/payments/src/Claims.ts'],
    // The ledger on FerretDB with Stripe's double, without the service; the service's tests (declines,
    // payOrder, reconcile, refunds, webhook) cover the same paths through GraphQL and NATS, slowly.
    tests: ['subgraphs/payments/src/PaymentLedger.test.ts'],
  },
  {
    name: 'subscriptions',
    // Who may follow what, and what a socket may send: the server and the hub on a real HTTP server,
    // Redis and graphql-ws client (SubscriptionServer.test.ts); what the hub sends each subscriber
    // (SubscriptionHub.test.ts). Not here: LiveEvents.ts (the NATS consumer) and startLiveUpdates.ts
    // (wiring), left to e2e/src/subscriptions.test.ts (the whole stack per mutant is too slow);
    // LiveIterator.ts and deriveEntityQuery.ts (plumbing with tests of their own, not authorization).
    mutate: [
      'gateway/src/subscriptions/SubscriptionServer.ts',
      'gateway/src/subscriptions/SubscriptionHub.ts',
      'gateway/src/subscriptions/liveFields.ts',
    ],
    tests: [
      'gateway/src/subscriptions/SubscriptionServer.test.ts',
      'gateway/src/subscriptions/SubscriptionHub.test.ts',
    ],
  },
];
