import { gql } from './gql';
import { startGatewayReplica } from './startGatewayReplica';
import { startTestStack, type TestStack } from './startTestStack';

// A public endpoint in production names no fields or types a client did not ask for.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('gw_prod_errors', {}, { orders: false, payments: false });
});
afterAll(() => stack.stop());

const misspelt = '{ tickt(id: "x") { id } }';

test('in development a misspelt field is answered with suggestions', async () => {
  const r = await gql(stack.gateway.url, misspelt);
  expect(r.errors?.[0]?.message).toMatch(/Did you mean/);
});

test('in production the same mistake is refused without naming any field', async () => {
  const gateway = await startGatewayReplica(stack, { production: true });
  try {
    const r = await gql(gateway.url, misspelt);
    expect(r.errors?.[0]?.message).toBe('Cannot query field "tickt" on type "Query".');
  } finally {
    await gateway.stop();
  }
});
