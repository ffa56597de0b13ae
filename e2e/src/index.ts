// The in-process stack and its clients, for the cross-service tests here, bench and the web's E2E tests.
export type { GraphQLReply } from './gql';
export { gql, sessionCookie } from './gql';
export type { Account, OrderView, TicketView } from './marketplaceClient';
export {
  cancelOrder,
  createOrder,
  createTicket,
  eventually,
  ORDER_FIELDS,
  readOrder,
  readTicket,
  signUp,
  TICKET_FIELDS,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
export type { InfraProcess, PrivateInfra } from './privateInfra';
export { startPrivateInfra } from './privateInfra';
export { startGatewayReplica } from './startGatewayReplica';
export type { TestStack, TestStackOptions } from './startTestStack';
export { startTestStack } from './startTestStack';
export type { Received, TestSubscription } from './subscriptionClient';
export { connectClient, subscribe } from './subscriptionClient';
