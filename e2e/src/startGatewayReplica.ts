import { readFileSync } from 'node:fs';
import { createGateway, type Gateway, SUPERGRAPH_FILE } from '@ticketing/gateway';
import type { TestStack } from './startTestStack';

/**
 * One more gateway in front of a started stack's subgraphs and event stream, as a second replica
 * behind a load balancer would be. The caller stops it.
 */
export function startGatewayReplica(
  stack: TestStack,
  options: { production?: boolean } = {},
): Promise<Gateway> {
  return createGateway({
    ...options,
    settings: stack.settings,
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    events: { stream: stack.stream },
    subgraphUrls: {
      users: stack.users.url,
      ...(stack.tickets ? { tickets: stack.tickets.url } : {}),
      ...(stack.orders ? { orders: stack.orders.url } : {}),
      ...(stack.payments ? { payments: stack.payments.url } : {}),
    },
  });
}
