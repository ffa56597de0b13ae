import type { Client } from 'graphql-ws';
import { gql } from './gql';
import { type Account, createTicket, eventually, signUp } from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';
import { connectClient, subscribe } from './subscriptionClient';

// The gateway's cache of anonymous answers as a visitor meets it: a listing page is served from the
// cache until the ticket's event reaches this gateway, and from then on never the old price.

const TICKET = 'query ($id: ID!) { ticket(id: $id) { id price version seller { id } } }';
const PAGE = '{ tickets(first: 5) { edges { node { id price } } } }';
const UPDATE =
  'mutation ($id: ID!, $price: Float!) { updateTicket(id: $id, input: { price: $price }) { id price } }';
const WATCH = 'subscription ($id: ID!) { ticketChanged(id: $id) { id price } }';

interface TicketReply {
  ticket: { id: string; price: number; version: number; seller: { id: string } } | null;
}
interface PageReply {
  tickets: { edges: Array<{ node: { id: string; price: number } }> };
}

let stack: TestStack;
let url: string;
let seller: Account;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack('public_reads');
  url = stack.gateway.url;
  seller = await signUp(url, 'seller');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack.stop();
});

const priceOnPage = async (id: string) =>
  (await gql<PageReply>(url, PAGE)).data?.tickets.edges.find((e) => e.node.id === id)?.node.price;

test('a cached anonymous read shows the new price as soon as the ticket’s event has been seen', async () => {
  const { id } = await createTicket(url, seller, 'Opera', 40);
  const client = connectClient(url);
  clients.push(client);
  const watch = subscribe<{ ticketChanged: { id: string; price: number } }>(client, WATCH, { id });
  await new Promise((r) => setTimeout(r, 300)); // the subscription is registered

  // Read twice anonymously: the second answer comes from the gateway's cache.
  expect((await gql<TicketReply>(url, TICKET, { id })).data?.ticket?.price).toBe(40);
  const before = stack.gateway.publicReads().hits;
  expect((await gql<TicketReply>(url, TICKET, { id })).data?.ticket?.price).toBe(40);
  expect(await priceOnPage(id)).toBe(40);
  expect(await priceOnPage(id)).toBe(40);
  expect(stack.gateway.publicReads().hits).toBeGreaterThanOrEqual(before + 2);

  const updated = await gql<{ updateTicket: { price: number } }>(url, UPDATE, { id, price: 55 }, seller);
  expect(updated.data?.updateTicket.price).toBe(55);
  // The seller, signed in, never reads the anonymous cache: their own change shows at once.
  expect((await gql<TicketReply>(url, TICKET, { id }, seller)).data?.ticket?.price).toBe(55);

  // The event reached this gateway (its live update says so): the very next anonymous reads are fresh.
  expect((await watch.next()).data?.ticketChanged.price).toBe(55);
  expect((await gql<TicketReply>(url, TICKET, { id })).data?.ticket).toMatchObject({ price: 55, version: 2 });
  expect(await priceOnPage(id)).toBe(55);
});

test('identical anonymous page reads at once make fewer subgraph calls than reads', async () => {
  const ballet = await createTicket(url, seller, 'Ballet', 30);
  // Until its TicketCreated reaches the gateway, an anonymous page may still come from the cache
  // without it; the burst below starts once the listing shows it, so every reader sees one page.
  await eventually(async () => (await priceOnPage(ballet.id)) === 30);
  const start = stack.gateway.publicReads();
  const replies = await Promise.all(Array.from({ length: 10 }, () => gql<PageReply>(url, PAGE)));
  const end = stack.gateway.publicReads();
  const first = JSON.stringify(replies[0]?.data);
  expect(replies.every((r) => !r.errors && JSON.stringify(r.data) === first)).toBe(true);
  // Ten readers, at most one call to tickets (the rest shared it or read its cached answer).
  expect(end.fetched - start.fetched).toBeLessThanOrEqual(1);
});
