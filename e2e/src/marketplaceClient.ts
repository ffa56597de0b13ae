// Helpers for tests (and bench) that use the marketplace through the gateway, as a client would.
import { randomBytes } from 'node:crypto';
import type { OrderStatus, TicketStatus } from '@ticketing/events';
import { eventually } from '@ticketing/kit/testing';
import { gql, sessionCookie } from './gql';

// Kit's, beside the clients so that a test here imports what it polls with from one place.
export { eventually };

export interface Account {
  id: string;
  cookie: string;
}

export interface TicketView {
  id: string;
  title: string;
  price: number;
  status: TicketStatus;
  reservedUntil: string | null;
  version: number;
  seller: { id: string };
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  expiresAt: string;
  price: number;
  cancelReason: string | null;
  ticket: { id: string };
  buyer: { id: string };
}

export const TICKET_FIELDS = 'id title price status reservedUntil version seller { id }';
export const ORDER_FIELDS = 'id status expiresAt price cancelReason ticket { id } buyer { id }';

/** A new account, signed in: its id and the session cookie to send. */
export async function signUp(url: string, name = 'buyer'): Promise<Account> {
  const email = `${name}.${randomBytes(6).toString('hex')}@example.com`;
  const r = await gql<{ signUp: { id: string } }>(
    url,
    'mutation ($email: String!) { signUp(email: $email, password: "password-123") { id } }',
    { email },
  );
  const cookie = sessionCookie(r.setCookies);
  if (!r.data?.signUp || !cookie) throw new Error(`sign-up failed: ${JSON.stringify(r.errors)}`);
  return { id: r.data.signUp.id, cookie };
}

/** `dollars` (at most two decimals, as 25.5) as the exact MoneyInput createTicket takes: `{ amount: '25.50', currencyCode: 'USD' }`. */
const usd = (dollars: number) => ({ amount: dollars.toFixed(2), currencyCode: 'USD' });

/** A ticket listed by `seller` at `price` US dollars, sent exactly (priceMoney, not the deprecated Float). */
export async function createTicket(url: string, seller: Account, title = 'Concert', price = 25.5) {
  const r = await gql<{ createTicket: TicketView }>(
    url,
    `mutation ($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET_FIELDS} } }`,
    { input: { title, priceMoney: usd(price) } },
    { cookie: seller.cookie },
  );
  if (!r.data?.createTicket) throw new Error(`createTicket failed: ${JSON.stringify(r.errors)}`);
  return r.data.createTicket;
}

export const createOrder = (url: string, buyer: Account, ticketId: string) =>
  gql<{ createOrder: OrderView }>(
    url,
    `mutation ($id: ID!) { createOrder(ticketId: $id) { ${ORDER_FIELDS} } }`,
    { id: ticketId },
    { cookie: buyer.cookie },
  );

export const cancelOrder = (url: string, buyer: Account, orderId: string) =>
  gql<{ cancelOrder: OrderView }>(
    url,
    `mutation ($id: ID!) { cancelOrder(id: $id) { ${ORDER_FIELDS} } }`,
    { id: orderId },
    { cookie: buyer.cookie },
  );

export async function readTicket(url: string, id: string): Promise<TicketView | null> {
  const r = await gql<{ ticket: TicketView | null }>(
    url,
    `query ($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`,
    {
      id,
    },
  );
  return r.data?.ticket ?? null;
}

export async function readOrder(url: string, buyer: Account, id: string): Promise<OrderView | null> {
  const r = await gql<{ order: OrderView | null }>(
    url,
    `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`,
    { id },
    {
      cookie: buyer.cookie,
    },
  );
  return r.data?.order ?? null;
}

/**
 * Waits until orders has learned of the ticket (its projection is fed by events): asked by the
 * seller, createOrder then says FORBIDDEN (own ticket) instead of NOT_FOUND, and locks nothing.
 */
export async function waitUntilOrderable(url: string, seller: Account, ticketId: string): Promise<void> {
  await eventually(async () => {
    const r = await createOrder(url, seller, ticketId);
    return r.errors?.[0]?.extensions?.code === 'FORBIDDEN';
  });
}

/** Waits until ticket(id) shows `status` (and, when given, passes `also`). */
export const waitForTicket = (
  url: string,
  id: string,
  status: TicketView['status'],
  ms = 5_000,
  also: (t: TicketView) => boolean = () => true,
) =>
  eventually(async () => {
    const t = await readTicket(url, id);
    return t?.status === status && also(t) ? t : undefined;
  }, ms);
