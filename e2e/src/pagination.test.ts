import { gql } from './gql';
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  eventually,
  signUp,
  type TicketView,
  waitForTicket,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 13, point 5: keyset pagination stays stable while tickets are listed and change status
// between pages. The rule asserted: after page 1, the pages that follow its endCursor list exactly
// the tickets listed before the cursor's ticket that match the filter when those pages are read,
// newest first. So nothing repeats, a ticket listed meanwhile never shows up further down (it is
// at the top), and a ticket is skipped only if it stopped matching the status filter: with
// `status: AVAILABLE`, a ticket that stayed AVAILABLE is never skipped, one reserved or sold
// meanwhile drops out, and an older one released meanwhile shows up once.

const PAGE = `query ($first: Int, $after: String, $status: TicketStatus) {
  tickets(first: $first, after: $after, status: $status) {
    edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
const PAY = `mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { id status } }`;
/** Events cross three services on a shared 2-core machine; give them time. */
const SETTLE_MS = 20_000;
/** Each test waits on about ten event round trips; on a busy machine that is a minute. */
const TEST_MS = 180_000;

interface Connection {
  tickets: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

let stack: TestStack;
let seller: Account;
let buyer: Account;
beforeAll(async () => {
  stack = await startTestStack('pagination');
  [seller, buyer] = await Promise.all([signUp(url(), 'seller'), signUp(url(), 'buyer')]);
});
afterAll(() => stack.stop());

const url = () => stack.gateway.url;

/** Every ticket this file listed, oldest first, with the status it has now (this file made each change). */
const listed: Array<{ id: string; status: TicketView['status'] }> = [];

async function list(count: number, title: string): Promise<string[]> {
  const ids: string[] = [];
  // One after another: each is listed after the previous one, so the listing order is known.
  for (let i = 0; i < count; i++) ids.push((await createTicket(url(), seller, `${title} ${i}`)).id);
  listed.push(...ids.map((id) => ({ id, status: 'AVAILABLE' as const })));
  return ids;
}

function setStatus(id: string, status: TicketView['status']) {
  const ticket = listed.find((t) => t.id === id);
  if (!ticket) throw new Error(`not listed here: ${id}`);
  ticket.status = status;
}

/** Locks the ticket for the buyer and waits until tickets shows it RESERVED; the order's id. */
async function reserve(id: string): Promise<string> {
  // NOT_FOUND until orders has heard of the ticket.
  const order = await eventually(
    async () => (await createOrder(url(), buyer, id)).data?.createOrder,
    SETTLE_MS,
  );
  await waitForTicket(url(), id, 'RESERVED', SETTLE_MS);
  setStatus(id, 'RESERVED');
  return order.id;
}

async function sell(id: string) {
  const orderId = await reserve(id);
  const paid = await gql(url(), PAY, { id: orderId }, { cookie: buyer.cookie });
  expect(paid.errors).toBeUndefined();
  await waitForTicket(url(), id, 'SOLD', SETTLE_MS);
  setStatus(id, 'SOLD');
}

async function release(id: string, orderId: string) {
  expect((await cancelOrder(url(), buyer, orderId)).errors).toBeUndefined();
  await waitForTicket(url(), id, 'AVAILABLE', SETTLE_MS);
  setStatus(id, 'AVAILABLE');
}

async function page(first: number, after: string | null, status?: TicketView['status']) {
  const r = await gql<Connection>(url(), PAGE, { first, after, status });
  expect(r.errors).toBeUndefined();
  const tickets = (r.data as Connection).tickets;
  return { ids: tickets.edges.map((e) => e.node.id), ...tickets.pageInfo };
}

/** The pages after `after`, followed to the end. */
async function rest(first: number, after: string, status?: TicketView['status']): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = after; cursor; ) {
    const next = await page(first, cursor, status);
    ids.push(...next.ids);
    cursor = next.hasNextPage ? next.endCursor : null;
  }
  return ids;
}

/** What the rule says the pages after page 1 hold: older than its last ticket, matching now. */
function expectedAfter(lastOfPageOne: string, status?: TicketView['status']): string[] {
  const older = listed.slice(
    0,
    listed.findIndex((t) => t.id === lastOfPageOne),
  );
  return older
    .filter((t) => !status || t.status === status)
    .map((t) => t.id)
    .reverse();
}

test(
  'all tickets: no repeats and no skips while tickets are listed, locked, sold and released between pages',
  async () => {
    const a = await list(16, 'All');
    const heldBefore = await reserve(a[3] as string);

    const first = await page(4, null);
    expect(first.ids).toEqual(a.slice(12).reverse());
    const existing = listed.map((t) => t.id);

    // Between pages: new listings, a lock and a sale further down, a release of an older lock, and a
    // lock on page 1 itself.
    const added = await list(3, 'Meanwhile');
    await reserve(a[8] as string);
    await sell(a[5] as string);
    await release(a[3] as string, heldBefore);
    await reserve(a[13] as string);

    const later = await rest(4, first.endCursor);
    expect(later).toEqual(expectedAfter(first.ids.at(-1) as string));
    const seen = [...first.ids, ...later];
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...existing].sort());
    expect(later.filter((id) => added.includes(id))).toEqual([]);
  },
  TEST_MS,
);

test(
  'status AVAILABLE: a ticket that stays available is never skipped; reserved or sold meanwhile drops out, released meanwhile shows up once',
  async () => {
    const b = await list(16, 'Available');
    const heldBefore = await reserve(b[2] as string);
    const first = await page(4, null, 'AVAILABLE');
    expect(first.ids).toEqual(b.slice(12).reverse());
    const availableThen = listed.filter((t) => t.status === 'AVAILABLE').map((t) => t.id);

    // Between pages: new listings, a lock and a sale further down, a ticket locked and released
    // again, and the release of one that was locked when page 1 was read.
    await list(2, 'Meanwhile');
    await reserve(b[9] as string);
    await sell(b[6] as string);
    await release(b[1] as string, await reserve(b[1] as string));
    await release(b[2] as string, heldBefore);

    const later = await rest(4, first.endCursor, 'AVAILABLE');
    expect(later).toEqual(expectedAfter(first.ids.at(-1) as string, 'AVAILABLE'));
    const seen = [...first.ids, ...later];
    expect(new Set(seen).size).toBe(seen.length);
    const stayed = availableThen.filter((id) => listed.find((t) => t.id === id)?.status === 'AVAILABLE');
    expect(stayed.filter((id) => !seen.includes(id))).toEqual([]);
    expect(stayed).toContain(b[1]);
    expect(later).not.toContain(b[9]);
    expect(later).not.toContain(b[6]);
    expect(later.filter((id) => id === b[2])).toHaveLength(1);
  },
  TEST_MS,
);
