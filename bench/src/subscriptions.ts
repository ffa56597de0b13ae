// Subscription fan-out: N subscribers (1,000 by default, one WebSocket each) watch one ticket;
// a buyer locks it (then cancels, round after round). Prints the delivery latency from the
// createOrder request to each subscriber's message, p50/p99, and the gateway's memory.
//
//   npm run build && npm run subscriptions -w bench [-- --subscribers 1000 --rounds 6]
// Gateway and clients share this process (as in bench/purchase), so figures include client work.
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.

import { connectClient, subscribe } from '@ticketing/gateway/dist/subscriptions/testSubscriber';
import {
  cancelOrder,
  createOrder,
  createTicket,
  signUp,
  waitUntilOrderable,
} from '@ticketing/gateway/dist/testMarketplace';
import { startTestStack } from '@ticketing/gateway/dist/testStack';
import { flag, ms, percentile, pool } from './stats';

const subscribers = flag('subscribers', 1000);
const rounds = flag('rounds', 6);
const QUERY = 'subscription ($id: ID!) { ticketChanged(id: $id) { id status reservedUntil seller { id } } }';
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

async function main() {
  process.stdout.write('starting users, tickets, orders and the gateway in this process…\n');
  const stack = await startTestStack('bench_subscriptions', { LOG_LEVEL: 'warn' }, { payments: false });
  const url = stack.gateway.url;
  const clients: ReturnType<typeof connectClient>[] = [];
  try {
    const [seller, buyer] = await Promise.all([signUp(url, 'seller'), signUp(url, 'buyer')]);
    const ticket = await createTicket(url, seller, 'Fan-out', 30);
    await waitUntilOrderable(url, seller, ticket.id);

    const before = process.memoryUsage();
    const watches = await Promise.all(
      Array.from({ length: subscribers }, async () => {
        const client = connectClient(url);
        clients.push(client);
        return subscribe<{ ticketChanged: { status: string } }>(client, QUERY, { id: ticket.id });
      }),
    );
    const deadline = Date.now() + 60_000;
    while (stack.gateway.subscriptionCount() < subscribers) {
      if (Date.now() > deadline) throw new Error(`only ${stack.gateway.subscriptionCount()} subscribed`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = process.memoryUsage();
    process.stdout.write(`${subscribers} subscribers connected\n`);

    const latencies: number[] = [];
    const requests: number[] = [];
    const firsts: number[] = [];
    let orderId = '';
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      if (round % 2 === 0) orderId = (await createOrder(url, buyer, ticket.id)).data?.createOrder.id ?? '';
      else await cancelOrder(url, buyer, orderId);
      requests.push(performance.now() - start);
      const round_: number[] = [];
      await pool(watches, subscribers, async (w) => {
        await w.next(30_000);
        round_.push(performance.now() - start);
      });
      firsts.push(Math.min(...round_));
      latencies.push(...round_);
    }

    process.stdout.write(
      [
        '',
        `subscriptions: ${subscribers} subscribers to one ticket, ${rounds} changes (lock, unlock, …)`,
        `delivery latency from the request: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))} (target p99 ≤ 100 ms)`,
        `  of which: the request itself p50 ${ms(percentile(requests, 50))}; first subscriber reached p50 ${ms(percentile(firsts, 50))} (events: orders → tickets → gateway)`,
        `memory (gateway and clients): rss ${mib(before.rss)} → ${mib(after.rss)}, heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}` +
          ` (≈ ${((after.heapUsed - before.heapUsed) / subscribers / 1024).toFixed(1)} KiB heap per subscriber)`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`subscriptions: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
