import { SettingsError } from '@ticketing/kit';
import { DEFAULT_STRIPE_MOCK, readPaymentsSettings, stripeApiBase } from './settings';
import { hostOf } from './stripe/StripeNodeGateway';

test('stripe-node is pointed at stripe-mock with host, port and protocol parsed from STRIPE_API_BASE', () => {
  expect(hostOf('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
  expect(hostOf('https://stripe-mock.internal')).toEqual({
    host: 'stripe-mock.internal',
    port: 443,
    protocol: 'https',
  });
});

test('real Stripe when STRIPE_API_BASE is unset and the key is a real one; stripe-mock otherwise', () => {
  expect(stripeApiBase(readPaymentsSettings({ STRIPE_API_BASE: 'http://127.0.0.1:1' }))).toBe(
    'http://127.0.0.1:1',
  );
  expect(stripeApiBase(readPaymentsSettings({}))).toBe(DEFAULT_STRIPE_MOCK);
  expect(stripeApiBase(readPaymentsSettings({ STRIPE_SECRET_KEY: 'sk_test_51Abc' }))).toBeUndefined();
});

test('production refuses to start without the Stripe key and webhook secret, naming them', () => {
  expect(() => readPaymentsSettings({ NODE_ENV: 'production', INTERNAL_JWT_KEY: 'k' })).toThrow(
    SettingsError,
  );
  expect(() => readPaymentsSettings({ NODE_ENV: 'production', INTERNAL_JWT_KEY: 'k' })).toThrow(
    /STRIPE_SECRET_KEY: is required in production[\s\S]*STRIPE_WEBHOOK_SECRET: is required in production/,
  );
  expect(() => readPaymentsSettings({ STRIPE_API_BASE: 'not a url' })).toThrow(
    /STRIPE_API_BASE: must be a URL/,
  );
});
