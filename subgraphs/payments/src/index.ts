export type { PaymentsService, PaymentsServiceOptions } from './createPaymentsService';
export { createPaymentsService } from './createPaymentsService';
export { sdl } from './sdl';
export type { PaymentsSettings } from './settings';
export { DEV_STRIPE_WEBHOOK_SECRET, readPaymentsSettings } from './settings';
export type { ChargeOutcome, ChargeRequest, RefundRequest, StripeGateway } from './stripe/StripeGateway';
export { StripeNodeGateway } from './stripe/StripeNodeGateway';
export { STRIPE_WEBHOOK_PATH } from './stripeWebhook';
