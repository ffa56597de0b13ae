import { cooldownLeft, isSlotStale, slotId } from './hoarding';

// The pure decisions behind "no hoarding": which slots a buyer has, when a taken one may be
// reclaimed, and how long a re-order must wait.

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

test('given a limit of 5, a buyer has exactly five slot ids of their own', () => {
  const slotIds = (buyerId: string, max: number) => Array.from({ length: max }, (_, n) => slotId(buyerId, n));
  expect(slotIds('b1', 5)).toEqual(['b1:0', 'b1:1', 'b1:2', 'b1:3', 'b1:4']);
  expect(new Set([...slotIds('b1', 5), ...slotIds('b2', 5)]).size).toBe(10);
});

describe('when is a taken slot stale', () => {
  test('given its order is still CREATED or AWAITING_PAYMENT, it is held', () => {
    expect(isSlotStale({ at: ago(3_600_000) }, { status: 'CREATED' }, now, 30_000)).toBe(false);
    expect(isSlotStale({ at: ago(3_600_000) }, { status: 'AWAITING_PAYMENT' }, now, 30_000)).toBe(false);
  });

  test('given its order is complete or cancelled, it is free again', () => {
    expect(isSlotStale({ at: ago(0) }, { status: 'COMPLETE' }, now, 30_000)).toBe(true);
    expect(isSlotStale({ at: ago(0) }, { status: 'CANCELLED' }, now, 30_000)).toBe(true);
  });

  test('given no order, it is held for the grace period (the order may be being written), then free', () => {
    expect(isSlotStale({ at: ago(29_999) }, null, now, 30_000)).toBe(false);
    expect(isSlotStale({ at: ago(30_000) }, null, now, 30_000)).toBe(true);
  });
});

describe('how long a re-order waits', () => {
  test('given no cooldown or one that has passed, none', () => {
    expect(cooldownLeft(null, now)).toBe(0);
    expect(cooldownLeft(ago(1), now)).toBe(0);
    expect(cooldownLeft(now, now)).toBe(0);
  });

  test('given a cooldown ending later, the seconds left, rounded up', () => {
    expect(cooldownLeft(new Date(now.getTime() + 59_001), now)).toBe(60);
    expect(cooldownLeft(new Date(now.getTime() + 1), now)).toBe(1);
  });
});
