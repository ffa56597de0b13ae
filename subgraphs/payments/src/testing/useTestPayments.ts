// One payments service per test file: started before its tests, stopped after them. The returned
// object stands for it from the file's top level, where the service does not exist yet.
import type { PaymentsServiceOptions } from '../createPaymentsService';
import { type PaidPayment, startTestPayments, type TestPayments } from './startTestPayments';

/** What PAY's reply carries. */
export type PayReply = { payOrder: PaidPayment };

export function useTestPayments(
  label: string,
  options: Omit<PaymentsServiceOptions, 'settings'> & { env?: NodeJS.ProcessEnv } = {},
): TestPayments {
  let started: TestPayments | undefined;
  const current = (): TestPayments => {
    if (!started) throw new Error(`payments '${label}' is used outside its tests`);
    return started;
  };
  beforeAll(async () => {
    started = await startTestPayments(label, options);
  });
  afterAll(() => started?.stop());
  return {
    get service() {
      return current().service;
    },
    get published() {
      return current().published;
    },
    gql: (query, variables, userId) => current().gql(query, variables, userId),
    orderCreated: (overrides) => current().orderCreated(overrides),
    orderCancelled: (order, reason) => current().orderCancelled(order, reason),
    stop: () => current().stop(),
  };
}
