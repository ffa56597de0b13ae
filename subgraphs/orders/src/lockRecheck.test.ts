import { mayBeLocked, mustRecheckLock } from './decisions';

// createOrder's last read: spared when the order was written well within the orphan grace, since
// only a lock that old without its order can have been freed by the sweeper.

const GRACE = 30_000;

test('given an order written right after its lock, the lock is not read again', () => {
  expect(mustRecheckLock({ lockTakenEarlier: false, elapsedMs: 40, orphanGraceMs: GRACE })).toBe(false);
});

test('given a process that stalled half the grace or more between lock and order, the lock is read again', () => {
  expect(mustRecheckLock({ lockTakenEarlier: false, elapsedMs: GRACE / 2, orphanGraceMs: GRACE })).toBe(true);
  expect(mustRecheckLock({ lockTakenEarlier: false, elapsedMs: GRACE + 1, orphanGraceMs: GRACE })).toBe(true);
});

test('given a lock taken by an earlier attempt with the same key, it is always read again', () => {
  expect(mustRecheckLock({ lockTakenEarlier: true, elapsedMs: 0, orphanGraceMs: GRACE })).toBe(true);
});

test('given no grace at all, every order reads its lock again', () => {
  expect(mustRecheckLock({ lockTakenEarlier: false, elapsedMs: 0, orphanGraceMs: 0 })).toBe(true);
});

// createOrder's first read: only when orders' copy of the ticket says it is held.
test('given a copy of a reserved or sold ticket, the lock is read before any write', () => {
  expect(mayBeLocked({ status: 'RESERVED' })).toBe(true);
  expect(mayBeLocked({ status: 'SOLD' })).toBe(true);
});

test('given a copy of an available ticket (or one from before copies kept a status), the inserts go at once', () => {
  expect(mayBeLocked({ status: 'AVAILABLE' })).toBe(false);
  expect(mayBeLocked({})).toBe(false);
});
