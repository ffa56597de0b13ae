// Our gateway against Hive Gateway on the committed supergraph and the same subgraphs, in one run:
// the subgraphs (test stack) in this process, each gateway in a child process of its own, the load
// in a third. Seeds ≥ 1,000 tickets through the API, checks both gateways return the same data,
// then measures them interleaved (ours, Hive, ours, Hive…) and prints requests/s, p50, p99 and the
// ratio for each query; the signed-in query runs on ours only (Hive does not sign identities).
//
//   npm run gateway -w bench [-- --tickets 1000 --rounds 3 --seconds 10 --connections 20 --warmup 3]
//   … -- --hive 0        ours only          … -- --profile 1    ours under --cpu-prof (folder printed)
// Our gateway's settings come from the environment as usual (e.g. GATEWAY_RESPONSE_CACHE=off).
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Account, createOrder, createTicket, gql, signUp, startTestStack } from '@ticketing/e2e';
import { signIdentity } from '@ticketing/kit/auth';
import type { GatewayProcessConfig } from './gatewayProcess';
import { startHiveGateway } from './hiveGateway';
import { type LoadResult, type LoadSpec, runLoad } from './loadGenerator';
import { flag, percentile, pool } from './stats';

const ticketCount = flag('tickets', 1000);
const sellerCount = flag('sellers', 10);
const rounds = flag('rounds', 3);
const seconds = flag('seconds', 10);
const connections = flag('connections', 20);
const warmUpSeconds = flag('warmup', 3);
const withHive = flag('hive', 1) !== 0;
const profile = flag('profile', 0) !== 0;

interface Scenario {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Sent with a buyer's session cookie, to ours only. */
  signedIn?: boolean;
}

const TICKETS_PAGE =
  '{ tickets(first: 20) { edges { node { id title price status seller { id } } } pageInfo { hasNextPage endCursor } } }';
const ONE_TICKET = 'query ($id: ID!) { ticket(id: $id) { id title price status version seller { id } } }';
const MY_ORDERS =
  '{ me { id orders { id status price ticket { id title price seller { id } } payment { id status amount } } } }';

/** Child process: one load run, spec in, result out, over IPC. */
function loadChild() {
  process.once('message', (spec: LoadSpec) => {
    void runLoad(spec).then((result) => process.send?.(result, () => process.exit(0)));
  });
}

function load(spec: LoadSpec): Promise<LoadResult> {
  const child = fork(__filename, ['--load-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

/** Our gateway in a child process (settings from this environment); its URL once it listens. */
async function startOurGateway(config: GatewayProcessConfig) {
  const profileDir = profile ? mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-prof-')) : undefined;
  const child: ChildProcess = fork(path.join(__dirname, 'gatewayProcess.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_GATEWAY_CONFIG: JSON.stringify(config) },
    execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`our gateway exited with ${code}`)));
  });
  const stop = async () => {
    child.send('stop');
    await exited;
  };
  return { url, stop, profileDir };
}

/** The same request to both gateways; throws unless both answer the same data without errors. */
async function sameData(ours: string, hive: string, s: Scenario): Promise<void> {
  const [a, b] = await Promise.all([gql(ours, s.query, s.variables), gql(hive, s.query, s.variables)]);
  for (const [name, r] of [
    ['ours', a],
    ['hive', b],
  ] as const) {
    if (r.errors?.length || !r.data) throw new Error(`${s.label}, ${name}: ${JSON.stringify(r.errors)}`);
  }
  if (JSON.stringify(a.data) !== JSON.stringify(b.data)) {
    throw new Error(
      `${s.label}: the gateways disagree\nours: ${JSON.stringify(a.data)}\nhive: ${JSON.stringify(b.data)}`,
    );
  }
}

/** Tickets from several sellers, through the API; a buyer with orders, one of them paid. */
async function seed(url: string) {
  const sellers: Account[] = [];
  for (let i = 0; i < sellerCount; i++) sellers.push(await signUp(url, `bench-seller${i}`));
  // The buyer's orders first: orders learns of tickets from their events, in order, and would
  // otherwise work through the whole seeding before it knew these.
  const buyer = await signUp(url, 'bench-buyer');
  const orderIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const seller = sellers[i % sellers.length] as Account;
    const ticketId = (await createTicket(url, seller, `Bought ${i}`, 20 + i)).id;
    await orderable(url, seller, ticketId);
    const r = await createOrder(url, buyer, ticketId);
    if (!r.data?.createOrder) throw new Error(`createOrder failed: ${JSON.stringify(r.errors)}`);
    orderIds.push(r.data.createOrder.id);
  }
  const paid = await gql(
    url,
    'mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { id status } }',
    { id: orderIds[0] },
    { cookie: buyer.cookie },
  );
  if (paid.errors?.length) throw new Error(`payOrder failed: ${JSON.stringify(paid.errors)}`);
  const ticketIds: string[] = [];
  await pool(
    Array.from({ length: ticketCount }, (_, i) => i),
    8,
    async (i) => {
      const seller = sellers[i % sellers.length] as Account;
      ticketIds.push((await createTicket(url, seller, `Show ${i}`, 10 + (i % 90))).id);
    },
  );
  return { buyer, ticketId: ticketIds[ticketIds.length - 1] as string };
}

/** Orders has learned of the ticket (its projection is fed by events). */
async function orderable(url: string, seller: Account, ticketId: string) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const r = await createOrder(url, seller, ticketId);
    if (r.errors?.[0]?.extensions?.code === 'FORBIDDEN') return;
    if (Date.now() > deadline) throw new Error(`orders never learned of ticket ${ticketId}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Figures {
  rps: number[];
  latencies: number[];
  errors: number;
}

const median = (xs: number[]) => percentile(xs, 50);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  process.stdout.write('starting the subgraphs (and a gateway for seeding) in this process…\n');
  const stack = await startTestStack('bench_gateway', { LOG_LEVEL: 'warn' });
  const stops: Array<() => Promise<void>> = [];
  try {
    const subgraphUrls: Record<string, string> = { users: stack.users.url };
    for (const name of ['tickets', 'orders', 'payments'] as const) {
      const service = stack[name];
      if (service) subgraphUrls[name] = service.url;
    }
    process.stdout.write(`seeding ${ticketCount} tickets from ${sellerCount} sellers through the API…\n`);
    const { buyer, ticketId } = await seed(stack.gateway.url);

    const ours = await startOurGateway({
      subgraphUrls,
      stream: stack.stream,
      env: {
        REDIS_PREFIX: stack.redisPrefix,
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        // One load generator floods from one address: the rate limits are not what is measured here.
        RATE_LIMIT_USER_POINTS: '0',
        RATE_LIMIT_ANONYMOUS_POINTS: '0',
      },
    });
    stops.push(ours.stop);
    // Hive's subgraph calls carry an anonymous identity signed for the whole run (ours signs its own).
    const anonymous = signIdentity({ identity: null }, stack.settings.INTERNAL_JWT_KEY, 3_600);
    const hive = withHive ? await startHiveGateway(subgraphUrls, anonymous) : undefined;
    if (hive) stops.push(hive.stop);

    const scenarios: Scenario[] = [
      { label: 'tickets page (20, seller { id })', query: TICKETS_PAGE },
      { label: 'one ticket with its seller', query: ONE_TICKET, variables: { id: ticketId } },
      { label: "signed-in buyer's orders", query: MY_ORDERS, signedIn: true },
      { label: '{ __typename }', query: '{ __typename }' },
    ];
    const mine = await gql<{ me: { orders: Array<{ payment: unknown }> } }>(
      ours.url,
      MY_ORDERS,
      {},
      { cookie: buyer.cookie },
    );
    if (!mine.data?.me?.orders.some((o) => o.payment)) {
      throw new Error(`signed-in query: no paid order in ${JSON.stringify(mine)}`);
    }
    if (hive) {
      for (const s of scenarios.filter((x) => !x.signedIn)) await sameData(ours.url, hive.url, s);
      process.stdout.write('both gateways return the same data for every anonymous query\n');
    }

    const targets = [{ name: 'ours', url: ours.url }, ...(hive ? [{ name: 'hive', url: hive.url }] : [])];
    const figures = new Map<string, Figures>();
    for (const s of scenarios) {
      const spec = (url: string, secs: number): LoadSpec => ({
        url,
        body: JSON.stringify({ query: s.query, variables: s.variables ?? {} }),
        ...(s.signedIn ? { headers: { cookie: buyer.cookie } } : {}),
        connections,
        seconds: secs,
      });
      const here = s.signedIn ? targets.slice(0, 1) : targets;
      for (const t of here) await load(spec(t.url, warmUpSeconds));
      for (let round = 0; round < rounds; round++) {
        for (const t of here) {
          const r = await load(spec(t.url, seconds));
          const key = `${s.label}\n${t.name}`;
          const f = figures.get(key) ?? { rps: [], latencies: [], errors: 0 };
          f.rps.push((r.requests / r.elapsedMs) * 1000);
          f.latencies.push(...r.latencies);
          f.errors += r.errors;
          figures.set(key, f);
          process.stdout.write(
            `  ${s.label} · ${t.name} · round ${round + 1}: ${fmt((r.requests / r.elapsedMs) * 1000, 0)} req/s\n`,
          );
        }
      }
    }

    const header = `${'query'.padEnd(36)}${'gateway'.padEnd(9)}${'req/s'.padStart(9)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'errors'.padStart(8)}   rounds (req/s)`;
    const lines = [
      '',
      `gateway: ${ticketCount} tickets, ${connections} connections, ${rounds} rounds of ${seconds} s per gateway, interleaved, after ${warmUpSeconds} s of warm-up each`,
      '',
      header,
    ];
    for (const s of scenarios) {
      const row = (name: string) => {
        const f = figures.get(`${s.label}\n${name}`);
        if (!f) return undefined;
        lines.push(
          `${(name === 'ours' ? s.label : '').padEnd(36)}${name.padEnd(9)}${fmt(median(f.rps), 0).padStart(9)}` +
            `${`${fmt(percentile(f.latencies, 50))} ms`.padStart(10)}${`${fmt(percentile(f.latencies, 99))} ms`.padStart(10)}` +
            `${String(f.errors).padStart(8)}   ${f.rps.map((x) => fmt(x, 0)).join(' / ')}`,
        );
        return f;
      };
      const a = row('ours');
      const b = row('hive');
      if (a && b) {
        lines.push(
          `${''.padEnd(36)}${'ratio'.padEnd(9)}${`${fmt(median(a.rps) / median(b.rps), 2)}×`.padStart(9)}` +
            `${`${fmt(percentile(a.latencies, 50) / percentile(b.latencies, 50), 2)}×`.padStart(10)}` +
            `${`${fmt(percentile(a.latencies, 99) / percentile(b.latencies, 99), 2)}×`.padStart(10)}`,
        );
      }
    }
    lines.push(
      '',
      'req/s: median of the rounds; p50/p99 over every request of every round; ratio: ours / hive',
      '(target: tickets page ≥ 1.5× Hive req/s, p99 ratio ≤ 1)',
      '',
    );
    process.stdout.write(lines.join('\n'));
    if (ours.profileDir) process.stdout.write(`our gateway's CPU profile: ${ours.profileDir}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await stack.stop();
  }
}

const run = process.argv[2] === '--load-child' ? Promise.resolve(loadChild()) : main();
run.catch((err: unknown) => {
  process.stderr.write(`gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
