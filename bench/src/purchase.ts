// Purchase under contention: 200 signed-in buyers order one fresh ticket at the same instant,
// round after round; prints the winners per ticket (always 1) and createOrder latency p50/p99
// beside two uncontended figures measured in the same run: one buyer ordering alone, and the same
// 200 buyers at once each ordering a ticket of their own (the same load, no contention on a lock).
//
//   npm run purchase -w bench [-- --buyers 200 --rounds 20 --solo 200 --spread 1 --warmup 10]
//   … -- --url http://localhost:4000/graphql      against a running `npm start` instead
// Without --url the stack runs in this process and the buyers in a child process of their own, so
// client work is not counted as stack time (both share this machine's cores all the same).
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.
import { fork } from 'node:child_process';
import {
  type Account,
  createTicket,
  ORDER_FIELDS,
  type OrderView,
  signUp,
  startTestStack,
  waitUntilOrderable,
} from '@ticketing/e2e';
import { createHttpFetcher } from '@ticketing/gateway';
import { flag, ms, percentile, pool } from './stats';

const buyersCount = flag('buyers', 200);
const rounds = flag('rounds', 20);
const soloCount = flag('solo', 200);
const spreadRounds = flag('spread', 1);
const warmUpBursts = flag('warmup', 10);
const urlArg = process.argv.indexOf('--url');
const givenUrl = urlArg === -1 ? undefined : process.argv[urlArg + 1];

interface Outcome {
  latencies: number[];
  winners: number;
  conflicts: number;
  other: string[];
}

const CREATE_ORDER = `mutation ($id: ID!) { createOrder(ticketId: $id) { ${ORDER_FIELDS} } }`;

interface Reply {
  data?: { createOrder: OrderView } | null;
  errors?: Array<{ extensions?: { code?: string } }>;
}

/**
 * createOrder over the gateway's own keep-alive node:http fetcher: global fetch spends about 0.2 ms
 * of CPU per request on web streams, which in a burst of 200 shows up as the client's own queueing.
 */
function createOrderClient(url: string) {
  const fetcher = createHttpFetcher();
  return {
    async order(ticketId: string, cookie: string): Promise<Reply> {
      const body = JSON.stringify({ query: CREATE_ORDER, variables: { id: ticketId } });
      const res = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body,
      });
      return (await res.json()) as Reply;
    },
    close: () => fetcher.close(),
  };
}
type Client = ReturnType<typeof createOrderClient>;

/** Every buyer orders `ticketId` at once; latency of each createOrder through the gateway. */
async function race(client: Client, buyers: Account[], ticketId: string): Promise<Outcome> {
  const outcome: Outcome = { latencies: [], winners: 0, conflicts: 0, other: [] };
  await Promise.all(
    buyers.map(async (buyer) => {
      const start = performance.now();
      const r = await client.order(ticketId, buyer.cookie);
      outcome.latencies.push(performance.now() - start);
      const code = r.errors?.[0]?.extensions?.code;
      if (r.data?.createOrder) outcome.winners++;
      else if (code === 'CONFLICT') outcome.conflicts++;
      else outcome.other.push(code ?? 'no data');
    }),
  );
  return outcome;
}

async function freshTicket(url: string, seller: Account, title: string): Promise<string> {
  const ticket = await createTicket(url, seller, title, 42);
  await waitUntilOrderable(url, seller, ticket.id);
  return ticket.id;
}

/** The buyers' side: sign-ups, tickets, the races, and the report. */
async function runBuyers(url: string) {
  process.stdout.write(`signing up ${buyersCount} buyers and a seller at ${url}\n`);
  const seller = await signUp(url, 'bench-seller');
  const buyers: Account[] = [];
  await pool(
    Array.from({ length: buyersCount }, (_, i) => i),
    16,
    async (i) => {
      buyers.push(await signUp(url, `bench-buyer${i}`));
    },
  );

  const client = createOrderClient(url);
  // Warm-up, not counted: the first burst opens every buyer's connection and the gateway's sockets
  // to orders; the JIT and the heap settle over the next few (measured: about ten bursts of 200
  // before rounds stop getting faster). A running marketplace is past all that.
  for (let i = 0; i < warmUpBursts; i++) {
    const outcome = await race(client, buyers, await freshTicket(url, seller, 'Warm-up'));
    if (outcome.winners !== 1) throw new Error(`warm-up ticket ${i} had ${outcome.winners} winners`);
  }

  // Contended rounds, each followed by its share of uncontended orders (one buyer, one fresh
  // ticket, one order at a time). Interleaved, so both see the same database sizes: on FerretDB a
  // conditional update scans its whole collection, and everything slows as the run adds tickets.
  const solo: number[] = [];
  const contended: number[] = [];
  const winnersPerTicket: number[] = [];
  const unexpected: string[] = [];
  const soloPerRound = Math.ceil(soloCount / Math.max(1, rounds));
  for (let round = 0; round < rounds; round++) {
    const outcome = await race(client, buyers, await freshTicket(url, seller, `Contended ${round}`));
    contended.push(...outcome.latencies);
    winnersPerTicket.push(outcome.winners);
    unexpected.push(...outcome.other);
    for (let i = 0; i < soloPerRound && solo.length < soloCount; i++) {
      const buyer = buyers[solo.length % buyers.length] as Account;
      const alone = await race(client, [buyer], await freshTicket(url, seller, `Solo ${solo.length}`));
      if (alone.winners !== 1) throw new Error(`uncontended order failed: ${alone.other.join(', ')}`);
      solo.push(...alone.latencies);
    }
  }

  // Same load, no contention: every buyer orders a ticket of their own, all at once. Last, because
  // its 200 orders leave 200 rounds of events for tickets and orders to work through afterwards.
  const spread: number[] = [];
  for (let round = 0; round < spreadRounds; round++) {
    const ticketIds: string[] = [];
    await pool(buyers, 16, async () => {
      ticketIds.push((await createTicket(url, seller, `Spread ${round}`, 42)).id);
    });
    for (const id of ticketIds) await waitUntilOrderable(url, seller, id);
    const outcomes = await Promise.all(
      buyers.map((buyer, i) => race(client, [buyer], ticketIds[i] as string)),
    );
    if (outcomes.some((o) => o.winners !== 1)) throw new Error('an uncontended order failed');
    spread.push(...outcomes.flatMap((o) => o.latencies));
  }
  client.close();

  const p99 = (sample: number[]) => percentile(sample, 99);
  const row = (label: string, sample: number[]) =>
    `${label.padEnd(40)}${ms(percentile(sample, 50)).padStart(10)}  ${ms(p99(sample)).padStart(10)}  ${String(sample.length).padStart(6)}`;
  const lines = [
    '',
    `purchase: ${buyersCount} buyers × ${rounds} tickets (contended), ${soloCount} orders alone (uncontended),` +
      ` after ${warmUpBursts} bursts of warm-up (not counted)`,
    `winners per ticket: ${winnersPerTicket.join(' ')}  → ${winnersPerTicket.every((w) => w === 1) ? 'always 1' : 'NOT always 1'}`,
    `other replies than CONFLICT: ${unexpected.length ? unexpected.join(', ') : 'none'}`,
    '',
    `${''.padEnd(40)}${'p50'.padStart(10)}  ${'p99'.padStart(10)}  ${'orders'.padStart(6)}`,
    row('uncontended, one buyer at a time', solo),
    row(`uncontended, ${buyersCount} at once (own tickets)`, spread),
    row(`contended, ${buyersCount} at once (one ticket)`, contended),
    `contended p99 / uncontended p99: ${(p99(contended) / p99(solo)).toFixed(2)}× against one at a time, ` +
      `${(p99(contended) / p99(spread)).toFixed(2)}× against the same load without contention (target ≤ 5×)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (!winnersPerTicket.every((w) => w === 1)) process.exitCode = 1;
}

/** Starts the stack here and runs the buyers in a child process against it. */
async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  process.stdout.write('starting users, tickets, orders and the gateway in this process…\n');
  const stack = await startTestStack('bench_purchase', { LOG_LEVEL: 'warn' }, { payments: false });
  try {
    const child = fork(__filename, [...process.argv.slice(2), '--url', stack.gateway.url], {
      stdio: 'inherit',
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) process.exitCode = code ?? 1;
  } finally {
    await stack.stop();
  }
}

(givenUrl ? runBuyers(givenUrl) : main()).catch((err: unknown) => {
  process.stderr.write(`purchase: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
