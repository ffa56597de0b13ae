// Helpers for tests, as @ticketing/payments/testing; never built, never imported by production code.

// Kit's, here too so that a test of payments finds its helpers in one place.
export { eventually } from '@ticketing/kit/testing';
export { FakeStripe } from './FakeStripe';
export type { ChargeEvent, GraphQLReply, PaidPayment, TestOrder, TestPayments } from './startTestPayments';
export { newId, PAY, startTestPayments } from './startTestPayments';
export type { PayReply } from './useTestPayments';
export { useTestPayments } from './useTestPayments';
