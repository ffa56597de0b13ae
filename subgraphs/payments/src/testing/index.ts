// Helpers for tests, as @ticketing/payments/testing; never built, never imported by production code.
export { FakeStripe } from './FakeStripe';
export type { ChargeEvent, GraphQLReply, PaidPayment, TestOrder, TestPayments } from './startTestPayments';
export { eventually, newId, PAY, startTestPayments } from './startTestPayments';
