import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';
import { readOrdersSettings } from './settings';

// Issue 14: the hoarding limits' defaults, and a production orders service refusing the development key.

test('given nothing set, a buyer may hold 5 active orders and re-order a cancelled ticket after 60 s', () => {
  expect(readOrdersSettings({})).toMatchObject({
    MAX_ACTIVE_ORDERS_PER_BUYER: 5,
    REORDER_COOLDOWN_SECONDS: 60,
  });
});

test('given production, the development INTERNAL_JWT_KEY is refused, and a real one accepted', () => {
  expect(() =>
    readOrdersSettings({ NODE_ENV: 'production', INTERNAL_JWT_KEY: DEV_INTERNAL_JWT_KEY }),
  ).toThrow(/INTERNAL_JWT_KEY: is a development or placeholder value/);
  expect(
    readOrdersSettings({ NODE_ENV: 'production', INTERNAL_JWT_KEY: 'k'.repeat(40) }).INTERNAL_JWT_KEY,
  ).toBe('k'.repeat(40));
});
