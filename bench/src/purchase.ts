// Purchase under contention: 200 signed-in buyers order one fresh ticket at the same instant,
// round after round; prints the winners per ticket (always 1) and createOrder latency p50/p99
// beside two uncontended figures measured in the same run: one buyer ordering alone, and the same
// 200 buyers at once each ordering a ticket of their own (the same load, no contention on a lock).
//
//   npm run build && npm run purchase -w bench [-- --buyers 200 --rounds 20 --solo 50 --spread 1]
//   … -- --url http://localhost:4000/graphql      against a running `npm start` instead
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.
import {
  type Account,
  createOrder,
  createTicket,
  signUp,
  waitUntilOrderable,
} from '@ticketing/gateway/dist/testMarketplace';
import { startTestStack, type TestStack } from '@ticketing/gateway/dist/testStack';
import { flag, ms, percentile, pool } from './stats';

const buyersCount = flag('buyers', 200);
const rounds = flag('rounds', 20);
const soloCount = flag('solo', 50);
const spreadRounds = flag('spread', 1);
const urlArg = process.argv.indexOf('--url');
const givenUrl = urlArg === -1 ? undefined : process.argv[urlArg + 1];

interface Outcome {
  latencies: number[];
  winners: number;
  conflicts: number;
  other: string[];
}

/** Every buyer orders `ticketId` at once; latency of each createOrder through the gateway. */
async function race(url: string, buyers: Account[], ticketId: string): Promise<Outcome> {
  const outcome: Outcome = { latencies: [], winners: 0, conflicts: 0, other: [] };
  await Promise.all(
    buyers.map(async (buyer) => {
      const start = performance.now();
      const r = await createOrder(url, buyer, ticketId);
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

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  let stack: TestStack | undefined;
  if (!givenUrl) {
    process.stdout.write('starting users, tickets, orders and the gateway in this process…\n');
    stack = await startTestStack('bench_purchase', { LOG_LEVEL: 'warn' }, { payments: false });
  }
  const url = givenUrl ?? stack?.gateway.url ?? '';
  try {
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

    // Uncontended: one buyer, one fresh ticket, one order at a time.
    const solo: number[] = [];
    for (let i = 0; i < soloCount; i++) {
      const ticketId = await freshTicket(url, seller, `Solo ${i}`);
      const outcome = await race(url, [buyers[i % buyers.length] as Account], ticketId);
      if (outcome.winners !== 1) throw new Error(`uncontended order failed: ${outcome.other.join(', ')}`);
      solo.push(...outcome.latencies);
    }

    // Same load, no contention: every buyer orders a ticket of their own, all at once.
    const spread: number[] = [];
    for (let round = 0; round < spreadRounds; round++) {
      const ticketIds: string[] = [];
      await pool(buyers, 16, async () => {
        ticketIds.push((await createTicket(url, seller, `Spread ${round}`, 42)).id);
      });
      for (const id of ticketIds) await waitUntilOrderable(url, seller, id);
      const outcomes = await Promise.all(
        buyers.map((buyer, i) => race(url, [buyer], ticketIds[i] as string)),
      );
      if (outcomes.some((o) => o.winners !== 1)) throw new Error('an uncontended order failed');
      spread.push(...outcomes.flatMap((o) => o.latencies));
    }

    const contended: number[] = [];
    const winnersPerTicket: number[] = [];
    const unexpected: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const ticketId = await freshTicket(url, seller, `Contended ${round}`);
      const outcome = await race(url, buyers, ticketId);
      contended.push(...outcome.latencies);
      winnersPerTicket.push(outcome.winners);
      unexpected.push(...outcome.other);
    }

    const p99 = (sample: number[]) => percentile(sample, 99);
    const row = (label: string, sample: number[]) =>
      `${label.padEnd(40)}${ms(percentile(sample, 50)).padStart(10)}  ${ms(p99(sample)).padStart(10)}  ${String(sample.length).padStart(6)}`;
    const lines = [
      '',
      `purchase: ${buyersCount} buyers × ${rounds} tickets (contended), ${soloCount} orders alone (uncontended)`,
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
  } finally {
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`purchase: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
