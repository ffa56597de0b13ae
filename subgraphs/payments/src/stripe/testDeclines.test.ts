import { randomUUID } from 'node:crypto';
import { DEFAULT_STRIPE_MOCK, DEV_STRIPE_SECRET_KEY } from '../settings';
import { StripeNodeGateway } from './StripeNodeGateway';
import { testModeDecline } from './testDeclines';

// Issue 17, point 5: on the local stripe-mock (shared infrastructure, real), Stripe's decline test
// cards decline as test mode would; every other payment method still succeeds.

const gateway = new StripeNodeGateway({
  secretKey: DEV_STRIPE_SECRET_KEY,
  apiBase: process.env.STRIPE_API_BASE ?? DEFAULT_STRIPE_MOCK,
});
const charge = (paymentMethodId: string) =>
  gateway.charge({
    amountCents: 1234,
    currency: 'USD',
    paymentMethodId,
    idempotencyKey: randomUUID(),
    metadata: { orderId: 'o1', paymentId: 'p1' },
  });

test.each([
  ['pm_card_chargeDeclined', 'generic_decline', 'Your card was declined.'],
  ['pm_card_visa_chargeDeclined', 'generic_decline', 'Your card was declined.'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
  ['4000 0000 0000 0002', 'generic_decline', 'Your card was declined.'],
  ['4000000000000069', 'expired_card', 'Your card has expired.'],
])('%s is declined (%s) on stripe-mock', async (pm, code, reason) => {
  expect(await charge(pm)).toEqual({ status: 'declined', stripeId: null, reason, code });
});

test('a succeeding test card still succeeds on stripe-mock', async () => {
  expect(await charge('pm_card_visa')).toMatchObject({ status: 'succeeded', stripeId: expect.any(String) });
});

test('against real Stripe (no API base) nothing is mapped: Stripe decides', async () => {
  const real = new StripeNodeGateway({ secretKey: 'sk_test_not_a_real_key' });
  // The mapping is consulted only against stripe-mock: this one would reach api.stripe.com.
  expect((real as unknown as { mock: boolean }).mock).toBe(false);
  expect(testModeDecline('pm_card_visa')).toBeNull();
  expect(testModeDecline('pm_card_chargeDeclined')).not.toBeNull();
});
