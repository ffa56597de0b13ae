import { gql } from './gql';
import { type Account, createTicket, signUp } from './marketplaceClient';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';

// A starting gateway plans and validates the operations replicas saw most, without running them.

let stack: TestStack;
let seller: Account;
beforeAll(async () => {
  stack = await startTestStack('warm_up');
  seller = await signUp(stack.gateway.url, 'seller');
});
afterAll(() => stack.stop());

const myTicketCount = async () =>
  (await gql<{ me: { tickets: unknown[] } }>(stack.gateway.url, '{ me { tickets { id } } }', {}, seller)).data
    ?.me.tickets.length;

test('a new replica warms the operations another one served, and none of them runs again', async () => {
  const first = await startGatewayReplica(stack);
  try {
    await createTicket(first.url, seller, 'Warm-up', 12); // a mutation: must never run twice
    const page = await gql(
      first.url,
      'query Page($first: Int) { tickets(first: $first) { edges { node { id } } } }',
      {
        first: 3,
      },
    );
    expect(page.errors).toBeUndefined();
  } finally {
    await first.stop(); // writes what it saw to the record
  }
  expect(await myTicketCount()).toBe(1);

  const second = await startGatewayReplica(stack);
  try {
    expect(second.warmedOperations).toBeGreaterThanOrEqual(2);
    expect(second.publicReads().fetched).toBe(0); // nothing reached a subgraph
    expect(await myTicketCount()).toBe(1);
  } finally {
    await second.stop();
  }
});
