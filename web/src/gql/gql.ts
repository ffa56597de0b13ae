/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment OrderFields on Order {\n    id\n    status\n    version\n    createdAt\n    expiresAt\n    cancelReason\n    priceMoney {\n      amount\n      currencyCode\n    }\n    ticket {\n      ...TicketFields\n    }\n    payment {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n    }\n  }\n": typeof types.OrderFieldsFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n": typeof types.OrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders {\n        ...OrderFields\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  mutation CreateOrder($ticketId: ID!) {\n    createOrder(ticketId: $ticketId) {\n      ...OrderFields\n    }\n  }\n": typeof types.CreateOrderDocument,
    "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      ...OrderFields\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  mutation PayOrder($orderId: ID!, $paymentMethodId: String!) {\n    payOrder(orderId: $orderId, paymentMethodId: $paymentMethodId) {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n      order {\n        ...OrderFields\n      }\n    }\n  }\n": typeof types.PayOrderDocument,
    "\n  subscription OrderChanged($id: ID!) {\n    orderChanged(id: $id) {\n      ...OrderFields\n    }\n  }\n": typeof types.OrderChangedDocument,
    "\n  query Hold {\n    orderHoldSeconds\n  }\n": typeof types.HoldDocument,
    "\n  query MyOrdersOfTicket {\n    me {\n      id\n      orders(first: 20) {\n        id\n        status\n        expiresAt\n        ticket {\n          id\n        }\n      }\n    }\n  }\n": typeof types.MyOrdersOfTicketDocument,
    "\n  fragment TicketFields on Ticket {\n    id\n    title\n    priceMoney {\n      amount\n      currencyCode\n    }\n    status\n    reservedUntil\n    version\n    seller {\n      id\n    }\n  }\n": typeof types.TicketFieldsFragmentDoc,
    "\n  query Tickets($first: Int, $after: String, $status: TicketStatus) {\n    tickets(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          ...TicketFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TicketsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketFields\n    }\n  }\n": typeof types.TicketDocument,
    "\n  query MyTickets {\n    me {\n      id\n      tickets {\n        ...TicketFields\n      }\n    }\n  }\n": typeof types.MyTicketsDocument,
    "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) {\n      ...TicketFields\n    }\n  }\n": typeof types.CreateTicketDocument,
    "\n  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {\n    updateTicket(id: $id, input: $input) {\n      ...TicketFields\n    }\n  }\n": typeof types.UpdateTicketDocument,
    "\n  subscription TicketsChanged {\n    ticketsChanged {\n      ...TicketFields\n    }\n  }\n": typeof types.TicketsChangedDocument,
    "\n  subscription TicketChanged($id: ID!) {\n    ticketChanged(id: $id) {\n      ...TicketFields\n    }\n  }\n": typeof types.TicketChangedDocument,
    "\n  mutation WithdrawTicket($id: ID!) {\n    withdrawTicket(id: $id) {\n      ...TicketFields\n    }\n  }\n": typeof types.WithdrawTicketDocument,
    "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  query ApiKeys {\n    me {\n      id\n      apiKeys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!) {\n    createApiKey(name: $name) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": typeof types.SignOutEverywhereDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      id\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n": typeof types.ResetPasswordDocument,
};
const documents: Documents = {
    "\n  fragment OrderFields on Order {\n    id\n    status\n    version\n    createdAt\n    expiresAt\n    cancelReason\n    priceMoney {\n      amount\n      currencyCode\n    }\n    ticket {\n      ...TicketFields\n    }\n    payment {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n    }\n  }\n": types.OrderFieldsFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n": types.OrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders {\n        ...OrderFields\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  mutation CreateOrder($ticketId: ID!) {\n    createOrder(ticketId: $ticketId) {\n      ...OrderFields\n    }\n  }\n": types.CreateOrderDocument,
    "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      ...OrderFields\n    }\n  }\n": types.CancelOrderDocument,
    "\n  mutation PayOrder($orderId: ID!, $paymentMethodId: String!) {\n    payOrder(orderId: $orderId, paymentMethodId: $paymentMethodId) {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n      order {\n        ...OrderFields\n      }\n    }\n  }\n": types.PayOrderDocument,
    "\n  subscription OrderChanged($id: ID!) {\n    orderChanged(id: $id) {\n      ...OrderFields\n    }\n  }\n": types.OrderChangedDocument,
    "\n  query Hold {\n    orderHoldSeconds\n  }\n": types.HoldDocument,
    "\n  query MyOrdersOfTicket {\n    me {\n      id\n      orders(first: 20) {\n        id\n        status\n        expiresAt\n        ticket {\n          id\n        }\n      }\n    }\n  }\n": types.MyOrdersOfTicketDocument,
    "\n  fragment TicketFields on Ticket {\n    id\n    title\n    priceMoney {\n      amount\n      currencyCode\n    }\n    status\n    reservedUntil\n    version\n    seller {\n      id\n    }\n  }\n": types.TicketFieldsFragmentDoc,
    "\n  query Tickets($first: Int, $after: String, $status: TicketStatus) {\n    tickets(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          ...TicketFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TicketsDocument,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketFields\n    }\n  }\n": types.TicketDocument,
    "\n  query MyTickets {\n    me {\n      id\n      tickets {\n        ...TicketFields\n      }\n    }\n  }\n": types.MyTicketsDocument,
    "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) {\n      ...TicketFields\n    }\n  }\n": types.CreateTicketDocument,
    "\n  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {\n    updateTicket(id: $id, input: $input) {\n      ...TicketFields\n    }\n  }\n": types.UpdateTicketDocument,
    "\n  subscription TicketsChanged {\n    ticketsChanged {\n      ...TicketFields\n    }\n  }\n": types.TicketsChangedDocument,
    "\n  subscription TicketChanged($id: ID!) {\n    ticketChanged(id: $id) {\n      ...TicketFields\n    }\n  }\n": types.TicketChangedDocument,
    "\n  mutation WithdrawTicket($id: ID!) {\n    withdrawTicket(id: $id) {\n      ...TicketFields\n    }\n  }\n": types.WithdrawTicketDocument,
    "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n": types.MeDocument,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  query ApiKeys {\n    me {\n      id\n      apiKeys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!) {\n    createApiKey(name: $name) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": types.SignOutEverywhereDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      id\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n": types.ResetPasswordDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderFields on Order {\n    id\n    status\n    version\n    createdAt\n    expiresAt\n    cancelReason\n    priceMoney {\n      amount\n      currencyCode\n    }\n    ticket {\n      ...TicketFields\n    }\n    payment {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n    }\n  }\n"): (typeof documents)["\n  fragment OrderFields on Order {\n    id\n    status\n    version\n    createdAt\n    expiresAt\n    cancelReason\n    priceMoney {\n      amount\n      currencyCode\n    }\n    ticket {\n      ...TicketFields\n    }\n    payment {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders {\n    me {\n      id\n      orders {\n        ...OrderFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrders {\n    me {\n      id\n      orders {\n        ...OrderFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrder($ticketId: ID!) {\n    createOrder(ticketId: $ticketId) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrder($ticketId: ID!) {\n    createOrder(ticketId: $ticketId) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($orderId: ID!, $paymentMethodId: String!) {\n    payOrder(orderId: $orderId, paymentMethodId: $paymentMethodId) {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n      order {\n        ...OrderFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PayOrder($orderId: ID!, $paymentMethodId: String!) {\n    payOrder(orderId: $orderId, paymentMethodId: $paymentMethodId) {\n      id\n      status\n      amountMoney {\n        amount\n        currencyCode\n      }\n      stripeId\n      stripeRefundId\n      order {\n        ...OrderFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderChanged($id: ID!) {\n    orderChanged(id: $id) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  subscription OrderChanged($id: ID!) {\n    orderChanged(id: $id) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Hold {\n    orderHoldSeconds\n  }\n"): (typeof documents)["\n  query Hold {\n    orderHoldSeconds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrdersOfTicket {\n    me {\n      id\n      orders(first: 20) {\n        id\n        status\n        expiresAt\n        ticket {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrdersOfTicket {\n    me {\n      id\n      orders(first: 20) {\n        id\n        status\n        expiresAt\n        ticket {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TicketFields on Ticket {\n    id\n    title\n    priceMoney {\n      amount\n      currencyCode\n    }\n    status\n    reservedUntil\n    version\n    seller {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment TicketFields on Ticket {\n    id\n    title\n    priceMoney {\n      amount\n      currencyCode\n    }\n    status\n    reservedUntil\n    version\n    seller {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tickets($first: Int, $after: String, $status: TicketStatus) {\n    tickets(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          ...TicketFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Tickets($first: Int, $after: String, $status: TicketStatus) {\n    tickets(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          ...TicketFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTickets {\n    me {\n      id\n      tickets {\n        ...TicketFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyTickets {\n    me {\n      id\n      tickets {\n        ...TicketFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTicket($input: CreateTicketInput!) {\n    createTicket(input: $input) {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {\n    updateTicket(id: $id, input: $input) {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {\n    updateTicket(id: $id, input: $input) {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TicketsChanged {\n    ticketsChanged {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  subscription TicketsChanged {\n    ticketsChanged {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TicketChanged($id: ID!) {\n    ticketChanged(id: $id) {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  subscription TicketChanged($id: ID!) {\n    ticketChanged(id: $id) {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawTicket($id: ID!) {\n    withdrawTicket(id: $id) {\n      ...TicketFields\n    }\n  }\n"): (typeof documents)["\n  mutation WithdrawTicket($id: ID!) {\n    withdrawTicket(id: $id) {\n      ...TicketFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    me {\n      id\n      apiKeys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    me {\n      id\n      apiKeys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String!) {\n    createApiKey(name: $name) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($name: String!) {\n    createApiKey(name: $name) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"): (typeof documents)["\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;