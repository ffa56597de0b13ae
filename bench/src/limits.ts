// Issue 14's figures for the gateway's limits: what refusing an over-limit operation costs the
// gateway (sequential requests, p50/p99, target < 5 ms), and the p99 of normal traffic (anonymous
// readers, each from its own address, paced) without and then while one client floods the
// gateway with over-limit operations from one address (target: within 2× of the p99 without).
//
//   npm run limits -w bench [-- --refusals 500 --seconds 10 --rate 40 --connections 20]
// Needs the infrastructure: `npm run infra` (or `npm start`) in another terminal.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import os from 'node:os';
import { createTicket, signUp, startTestStack } from '@ticketing/e2e';
import { CostModel, measureQuery, SUPERGRAPH_FILE } from '@ticketing/gateway';
import { type LoadResult, type LoadSpec, runLoad } from './loadGenerator';
import { flag, ms, percentile } from './stats';

const refusals = flag('refusals', 500);
const seconds = flag('seconds', 10);
const rate = flag('rate', 40);
const connections = flag('connections', 20);

/** Over the cost limit (100 × 20⁴ sellers' tickets), 186 bytes. */
const attack = (name = 'Q') =>
  `query ${name} { tickets(first: 100) { edges { node { seller { tickets { seller { tickets { seller { tickets { seller { tickets { id title } } } } } } } } } } } }`;
const NORMAL = 'query ($id: ID!) { ticket(id: $id) { id title price status seller { id } } }';

/** Child process: the flood, spec in, result out, over IPC. */
function floodChild() {
  process.once('message', (spec: LoadSpec) => {
    void runLoad(spec).then((result) => process.send?.(result, () => process.exit(0)));
  });
}

function flood(spec: LoadSpec): Promise<LoadResult> {
  const child = fork(__filename, ['--flood-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('exit', (code) => code !== 0 && reject(new Error(`flood exited with ${code}`)));
    child.send(spec);
  });
}

let addresses = 0;
/** A new client address for each caller (X-Forwarded-For from loopback is believed). */
const nextAddress = () => {
  const n = ++addresses;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function post(url: string, query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    // The spec's media type, as Apollo Client 4 asks: a refused operation is then a 400 (200 as application/json).
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      'x-forwarded-for': nextAddress(),
    },
    body: JSON.stringify({ query, variables }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

interface Refusals {
  /** As the client sees it. */
  client: number[];
  /** In the gateway, from the request's arrival to its answer's end. */
  server: number[];
  /** CPU of this whole process (gateway and client) per refusal: an upper bound of the gateway's. */
  cpuMs: number;
}

/** Refused operations one after another: their latency is what each costs the gateway. */
async function refusalLatencies(url: string, gateway: Server, fresh: boolean): Promise<Refusals> {
  const client: number[] = [];
  const server: number[] = [];
  const timeAnswer = (_req: IncomingMessage, res: ServerResponse) => {
    const arrived = performance.now();
    res.once('finish', () => server.push(performance.now() - arrived));
  };
  gateway.prependListener('request', timeAnswer);
  const cpu = process.cpuUsage();
  try {
    for (let i = 0; i < refusals; i++) {
      const r = await post(url, attack(fresh ? `Q${i}` : 'Q'));
      if (r.status !== 400) throw new Error(`expected a refusal (400), got ${r.status}`);
      client.push(r.ms);
    }
  } finally {
    gateway.off('request', timeAnswer);
  }
  const used = process.cpuUsage(cpu);
  return { client, server, cpuMs: (used.user + used.system) / 1000 / refusals };
}

/** Normal readers at `rate` requests a second for `seconds`, each from its own address. */
async function normalTraffic(url: string, ticketIds: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    pending.push(
      post(url, NORMAL, { id: ticketIds[i % ticketIds.length] }).then(
        (r) => {
          if (r.status === 200) latencies.push(r.ms);
          else errors++;
        },
        () => {
          errors++;
        },
      ),
    );
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  await Promise.all(pending);
  return { latencies, errors };
}

/** The limits' own work on a new over-limit document: parse within the token limit, then measure. */
function measureWork(): number[] {
  const model = CostModel.fromSupergraph(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  const out: number[] = [];
  for (let i = 0; i < 2 * refusals; i++) {
    const started = performance.now();
    const measure = measureQuery(model, attack(`W${i}`), 5000);
    if (!measure || measure.cost <= 1000) throw new Error('the attack is within the limit');
    if (i >= refusals) out.push(performance.now() - started); // the first half warms up
  }
  return out;
}

const line = (label: string, sample: number[]) =>
  `${label.padEnd(60)} p50 ${ms(percentile(sample, 50)).padStart(9)}  p99 ${ms(percentile(sample, 99)).padStart(9)}`;

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  // The gateway's default limits (the test stack turns them off unless asked).
  const stack = await startTestStack(
    'bench_limits',
    { LOG_LEVEL: 'warn', RATE_LIMIT_ANONYMOUS_POINTS: '1000', RATE_LIMIT_ANONYMOUS_PER_SECOND: '50' },
    { payments: false },
  );
  try {
    const url = stack.gateway.url;
    const seller = await signUp(url, 'seller');
    const ticketIds: string[] = [];
    for (let i = 0; i < 20; i++) ticketIds.push((await createTicket(url, seller, `Show ${i}`)).id);

    const gateway = stack.gateway.httpServer;
    await refusalLatencies(url, gateway, false); // warm-up, uncounted
    const same = await refusalLatencies(url, gateway, false);
    const fresh = await refusalLatencies(url, gateway, true);
    process.stdout.write(
      `limits: ${refusals} refused operations one at a time (cost over the limit); load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores\n`,
    );
    const work = measureWork();
    const us = (p: number) => `${(percentile(work, p) * 1000).toFixed(0)} µs`;
    process.stdout.write(
      `${'parse and measure a new document (no I/O)'.padEnd(60)} p50 ${us(50)}  p99 ${us(99)}\n`,
    );
    for (const [label, r] of [
      ['the same document (parsed once)', same],
      ['a new document each time', fresh],
    ] as const) {
      process.stdout.write(`${line(`refused, ${label}: in the gateway`, r.server)}   target < 5 ms\n`);
      process.stdout.write(`${line(`refused, ${label}: at the client`, r.client)}\n`);
      process.stdout.write(`  CPU per refusal (gateway and client together): ${ms(r.cpuMs)}\n`);
    }

    const quiet = await normalTraffic(url, ticketIds);
    const flooding = flood({
      url,
      body: JSON.stringify({ query: attack() }),
      headers: { 'x-forwarded-for': '203.0.113.66' },
      connections,
      seconds: seconds + 2,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const busy = await normalTraffic(url, ticketIds);
    const flooded = await flooding;
    const p99Quiet = percentile(quiet.latencies, 99);
    const p99Busy = percentile(busy.latencies, 99);
    process.stdout.write(
      `normal traffic: ${rate} anonymous reads a second, ${seconds} s, each from its own address\n`,
    );
    process.stdout.write(`${line('without a flood', quiet.latencies)}   (${quiet.errors} errors)\n`);
    process.stdout.write(`${line('while one address floods', busy.latencies)}   (${busy.errors} errors)\n`);
    process.stdout.write(
      `the flood: ${flooded.requests} requests over ${connections} connections, ` +
        `${Math.round(flooded.requests / (flooded.elapsedMs / 1000))}/s, all refused (400 or 429)\n`,
    );
    process.stdout.write(`p99 while flooded / without: ${(p99Busy / p99Quiet).toFixed(2)}×   target ≤ 2×\n`);
  } finally {
    await stack.stop();
  }
}

if (process.argv.includes('--flood-child')) floodChild();
else
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
