import { checkVersion, retryDelayMs } from './ordering';

describe('checkVersion', () => {
  test.each([
    [0, 1, 'apply'],
    [4, 5, 'apply'],
    [5, 5, 'duplicate'],
    [5, 2, 'duplicate'],
    [1, 3, 'early'],
    [0, 2, 'early'],
  ] as const)('given version %i applied, version %i is %s', (current, incoming, outcome) => {
    expect(checkVersion(current, incoming)).toBe(outcome);
  });
});

test('an early event is retried sooner at first, never later than 5 s', () => {
  expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([100, 200, 400, 800, 5_000]);
});
