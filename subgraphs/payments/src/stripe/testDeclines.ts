import type { ChargeOutcome } from './StripeGateway';

type Decline = { reason: string; code: string };

const GENERIC: Decline = { reason: 'Your card was declined.', code: 'generic_decline' };
const FUNDS: Decline = { reason: 'Your card has insufficient funds.', code: 'insufficient_funds' };
const LOST: Decline = { reason: 'Your card was declined.', code: 'lost_card' };
const STOLEN: Decline = { reason: 'Your card was declined.', code: 'stolen_card' };
const EXPIRED: Decline = { reason: 'Your card has expired.', code: 'expired_card' };
const CVC: Decline = { reason: "Your card's security code is incorrect.", code: 'incorrect_cvc' };
const PROCESSING: Decline = {
  reason: 'An error occurred while processing your card. Try again in a little bit.',
  code: 'processing_error',
};
const FRAUD: Decline = { reason: 'Your card was declined.', code: 'fraudulent' };
const VELOCITY: Decline = {
  reason: 'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
  code: 'card_velocity_exceeded',
};

/**
 * Stripe's documented decline test cards (https://docs.stripe.com/testing#declined-payments): the
 * payment methods, tokens and card numbers that real Stripe's test mode declines, with the message
 * and decline code it gives. stripe-mock answers every charge with the same canned success, so
 * against it (only) these are declined here, as test mode would; real Stripe decides for itself.
 */
const DECLINES: Record<string, Decline> = {
  pm_card_visa_chargeDeclined: GENERIC,
  pm_card_chargeDeclined: GENERIC,
  pm_card_chargeDeclinedInsufficientFunds: FUNDS,
  pm_card_chargeDeclinedLostCard: LOST,
  pm_card_chargeDeclinedStolenCard: STOLEN,
  pm_card_chargeDeclinedExpiredCard: EXPIRED,
  pm_card_chargeDeclinedIncorrectCvc: CVC,
  pm_card_chargeDeclinedProcessingError: PROCESSING,
  pm_card_chargeDeclinedFraudulent: FRAUD,
  pm_card_chargeDeclinedVelocityLimitExceeded: VELOCITY,
  tok_visa_chargeDeclined: GENERIC,
  tok_chargeDeclined: GENERIC,
  tok_chargeDeclinedInsufficientFunds: FUNDS,
  tok_chargeDeclinedLostCard: LOST,
  tok_chargeDeclinedStolenCard: STOLEN,
  tok_chargeDeclinedExpiredCard: EXPIRED,
  tok_chargeDeclinedIncorrectCvc: CVC,
  tok_chargeDeclinedProcessingError: PROCESSING,
  tok_chargeDeclinedFraudulent: FRAUD,
  tok_chargeDeclinedVelocityLimitExceeded: VELOCITY,
  '4000000000000002': GENERIC,
  '4000000000009995': FUNDS,
  '4000000000009987': LOST,
  '4000000000009979': STOLEN,
  '4000000000000069': EXPIRED,
  '4000000000000127': CVC,
  '4000000000000119': PROCESSING,
  '4100000000000019': FRAUD,
  '4000000000006975': VELOCITY,
};

/** Stripe test mode's decline for one of its decline test cards (spaces in a card number ignored), else null. */
export function testModeDecline(paymentMethodId: string): ChargeOutcome | null {
  const found = DECLINES[paymentMethodId.replace(/[\s-]/g, '')];
  return found ? { status: 'declined', stripeId: null, reason: found.reason, code: found.code } : null;
}
