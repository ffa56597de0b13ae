// A buyer, from nothing to a paid ticket, with Node 20's fetch and graphql-ws (docs/integrators.md).
//   API=http://localhost:4000/graphql TICKET_ID=<id> node docs/examples/buyTicket.mjs
// It makes its own account and API key (no browser), follows the order on the WebSocket, orders
// the ticket with an idempotency key, pays with a declined test card, then with one that works.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const API = process.env.API ?? 'http://localhost:4000/graphql';
const TICKET_ID = process.env.TICKET_ID;
if (!TICKET_ID) throw new Error('Set TICKET_ID to the id of a ticket someone else listed');

/** One GraphQL request; `auth` is a header set (a cookie or a Bearer key). Throws on a transport failure only. */
async function gql(query, variables = {}, headers = {}) {
  const res = await fetch(API, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

// 1. An account: signUp answers with a session cookie, which is all createApiKey needs.
const email = `buyer-${randomUUID()}@example.com`;
const signUp = await gql(
  'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { id } }',
  {
    email,
    password: 'correct horse battery staple',
  },
);
const cookie = signUp.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const created = await gql(
  'mutation { createApiKey(name: "buyTicket.mjs", expiresInDays: 1) { secret apiKey { id } } }',
  {},
  { cookie },
);
const bearer = { authorization: `Bearer ${created.body.data.createApiKey.secret}` };
console.log('api key: created');

// 2. A WebSocket with the key in connectionParams (`Authorization` or `authorization`).
const ws = createClient({
  url: API.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: bearer.authorization },
});

// 3. The order, with an idempotency key: a retry with the same key cannot order twice. A ticket
// listed a moment ago may be NOT_FOUND for a second (orders learns of it by an event): retry.
const idempotencyKey = randomUUID();
let order;
for (let attempt = 0; attempt < 20 && !order; attempt++) {
  const r = await gql(
    'mutation ($ticketId: ID!, $key: String) { createOrder(ticketId: $ticketId, idempotencyKey: $key) { id status priceMoney { amount currencyCode } expiresAt ticket { status } } }',
    { ticketId: TICKET_ID, key: idempotencyKey },
    bearer,
  );
  const code = r.body.errors?.[0]?.extensions?.code;
  if (code === 'NOT_FOUND') await new Promise((resolve) => setTimeout(resolve, 250));
  else if (code) throw new Error(`createOrder: ${code} ${r.body.errors[0].message}`);
  else order = r.body.data.createOrder;
}
if (!order) throw new Error('createOrder: the ticket stayed NOT_FOUND');
// Money is exact: a decimal string and its currency (never a float).
const money = ({ amount, currencyCode }) => `${amount} ${currencyCode}`;
console.log(`order: ${order.status}, ticket ${order.ticket.status}, price ${money(order.priceMoney)}`);

// 4. Follow it: each change of the order arrives as an orderChanged event.
const statuses = [];
const completed = new Promise((resolve, reject) => {
  ws.subscribe(
    { query: 'subscription ($id: ID!) { orderChanged(id: $id) { status } }', variables: { id: order.id } },
    {
      next: ({ data, errors }) => {
        if (errors) return reject(new Error(errors[0].message));
        statuses.push(data.orderChanged.status);
        if (data.orderChanged.status === 'COMPLETE') resolve();
      },
      error: reject,
      complete: () => undefined,
    },
  );
});
// The subscription is live once the server answered it; a query on the same socket tells when.
await new Promise((resolve, reject) =>
  ws.subscribe(
    { query: '{ orderHoldSeconds }' },
    { next: () => undefined, error: reject, complete: resolve },
  ),
);

// 5. Pay: a declined test card is BAD_USER_INPUT on paymentMethodId (try again while the lock
// lasts), then a card that works.
const PAY =
  'mutation ($orderId: ID!, $pm: String!, $key: String) { payOrder(orderId: $orderId, paymentMethodId: $pm, idempotencyKey: $key) { status amountMoney { amount currencyCode } order { status } } }';
const declined = await gql(
  PAY,
  { orderId: order.id, pm: 'pm_card_chargeDeclined', key: randomUUID() },
  bearer,
);
const error = declined.body.errors[0];
console.log(`declined: ${error.extensions.code} on ${error.extensions.fields[0].field}`);
const paid = await gql(PAY, { orderId: order.id, pm: 'pm_card_visa', key: randomUUID() }, bearer);
const payment = paid.body.data.payOrder;
console.log(`payment: ${payment.status} ${money(payment.amountMoney)}, order ${payment.order.status}`);

await Promise.race([
  completed,
  new Promise((_, reject) => setTimeout(() => reject(new Error('no COMPLETE event within 10 s')), 10_000)),
]);
console.log(`events: ${statuses.join(' ')}`);
await ws.dispose();
