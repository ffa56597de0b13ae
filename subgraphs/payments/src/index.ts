export type { PaymentsService, PaymentsServiceOptions } from './createPaymentsService';
export { createPaymentsService } from './createPaymentsService';
export type { PaymentsSettings } from './settings';
export { DEV_STRIPE_WEBHOOK_SECRET, readPaymentsSettings } from './settings';
// A Stripe double for tests that cross subgraphs (stripe-mock never declines).
export { FakeStripe } from './stripe/FakeStripe';
export type { ChargeOutcome, ChargeRequest, RefundRequest, StripeGateway } from './stripe/StripeGateway';
export { StripeNodeGateway } from './stripe/StripeNodeGateway';
export { STRIPE_WEBHOOK_PATH } from './stripeWebhook';
