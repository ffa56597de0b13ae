// Subscription fan-out: N subscribers (1,000 by default, one WebSocket each) watch one ticket;
// a buyer locks it (then cancels, round after round). Prints the delivery latency from the
// createOrder request to each subscriber's message, p50/p99, and the gateway's memory.
//
//   npm run subscriptions -w bench [-- --subscribers 1000 --rounds 6]
//   … -- --subscribers 5000      the figure at five times the target's load
// The stack runs in this process; the subscribers in a child process of their own, so client work
// is not counted as gateway time (both share this machine's cores all the same).
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import {
  cancelOrder,
  connectClient,
  createOrder,
  createTicket,
  signUp,
  startTestStack,
  waitUntilOrderable,
} from '@ticketing/e2e';
import { flag, ms, percentile } from './stats';

const subscribers = flag('subscribers', 1000);
const rounds = flag('rounds', 6);
/**
 * Changes before the measured ones, not counted: the first delivery compiles the send path and
 * plans the payload query; a running gateway is past that. A lock and its release, so the
 * measured rounds start from an available ticket again.
 */
const WARM_UP = 2;
const QUERY = 'subscription ($id: ID!) { ticketChanged(id: $id) { id status reservedUntil seller { id } } }';
const BATCH = 250;
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/**
 * Child process: open the subscribers, then report each round's arrival times (wall clock). A
 * message's time is taken as graphql-ws's client hands it over (no polling helper: its timers, one
 * per subscriber every 50 ms, were client work counted as latency).
 */
async function clients(url: string, ticketId: string) {
  const total = WARM_UP + rounds;
  const arrivals: number[][] = Array.from({ length: total }, () => []);
  const arrived = (round: number) => {
    const times = arrivals[round];
    if (!times) throw new Error(`a message past the last round (${round})`);
    times.push(Date.now());
    if (times.length < subscribers) return;
    process.stdout.write(`${JSON.stringify(times)}\n`);
    if (round === total - 1) process.exit(0);
  };
  // In batches, each connected before the next opens: thousands of handshakes at once time out.
  for (let opened = 0; opened < subscribers; opened += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, subscribers - opened) }, () => {
      const client = connectClient(url);
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      let received = 0;
      client.subscribe(
        { query: QUERY, variables: { id: ticketId } },
        {
          next: () => arrived(received++),
          error: (err) => {
            process.stderr.write(`subscriber refused: ${JSON.stringify(err)}\n`);
            process.exit(1);
          },
          complete: () => {},
        },
      );
      return connected;
    });
    await Promise.all(batch);
  }
  process.stdout.write('subscribed\n');
}

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  process.stdout.write('starting users, tickets, orders and the gateway in this process…\n');
  const stack = await startTestStack('bench_subscriptions', { LOG_LEVEL: 'warn' }, { payments: false });
  const url = stack.gateway.url;
  try {
    const [seller, buyer] = await Promise.all([signUp(url, 'seller'), signUp(url, 'buyer')]);
    const ticket = await createTicket(url, seller, 'Fan-out', 30);
    await waitUntilOrderable(url, seller, ticket.id);

    const before = process.memoryUsage();
    const child = fork(__filename, ['--clients', url, ticket.id, ...process.argv.slice(2)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
    // Each round's arrivals, or a failure after a minute (a subscriber that never got its message).
    const nextLine = async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('a round not delivered to every subscriber in 60 s')),
          60_000,
        );
      });
      try {
        return (await Promise.race([lines.next(), late])).value as string;
      } finally {
        clearTimeout(timer);
      }
    };
    await nextLine(); // "subscribed"
    // Opening thousands of sockets on a busy machine takes a while: a minute, plus 20 ms each.
    const deadline = Date.now() + 60_000 + subscribers * 20;
    while (stack.gateway.subscriptionCount() < subscribers) {
      if (Date.now() > deadline) throw new Error(`only ${stack.gateway.subscriptionCount()} subscribed`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = process.memoryUsage();
    process.stdout.write(`${subscribers} subscribers connected\n`);

    const latencies: number[] = [];
    // Per round: the first message (the event chain and one resolution), and the spread from the
    // first to the last (the fan-out, and the clients reading what was sent).
    const firsts: number[] = [];
    const spreads: number[] = [];
    /** When the buyer's own mutation answered: the event chain starts once its write is done. */
    const answers: number[] = [];
    let orderId = '';
    for (let round = 0; round < WARM_UP + rounds; round++) {
      const start = Date.now();
      if (round % 2 === 0) orderId = (await createOrder(url, buyer, ticket.id)).data?.createOrder.id ?? '';
      else await cancelOrder(url, buyer, orderId);
      const answered = Date.now() - start;
      const arrivals = JSON.parse(await nextLine()) as number[];
      if (round < WARM_UP) continue;
      latencies.push(...arrivals.map((at) => at - start));
      firsts.push(Math.min(...arrivals) - start);
      answers.push(answered);
      spreads.push(Math.max(...arrivals) - Math.min(...arrivals));
    }

    process.stdout.write(
      [
        '',
        `subscriptions: ${subscribers} subscribers to one ticket, ${rounds} changes (lock, unlock, …) after ${WARM_UP} not counted`,
        `delivery latency from the request: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))} (target p99 ≤ 100 ms)`,
        `per round (median): the mutation answered ${ms(percentile(answers, 50))} after the request, the first message ${ms(percentile(firsts, 50))}, the last one ${ms(percentile(spreads, 50))} after the first`,
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')} (${availableParallelism()} cores; other work on the machine inflates every figure)`,
        `memory of the stack's process: rss ${mib(before.rss)} → ${mib(after.rss)}, heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}` +
          ` (≈ ${((after.heapUsed - before.heapUsed) / subscribers / 1024).toFixed(1)} KiB heap per subscriber)`,
        '',
      ].join('\n'),
    );
    child.kill();
  } finally {
    await stack.stop();
  }
}

const run = process.argv[2] === '--clients' ? clients(process.argv[3] ?? '', process.argv[4] ?? '') : main();
run.catch((err: unknown) => {
  process.stderr.write(`subscriptions: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
