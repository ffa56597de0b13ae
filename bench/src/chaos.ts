// Chaos: purchases and payments in flight while each service and each infrastructure process is
// killed (SIGKILL) and started again in turn, on a stack of its own (private NATS, Redis and
// FerretDB; every service a process on a private port; two gateway replicas behind the clients'
// failover, as behind a load balancer). Then, once things settle, the marketplace's invariants from
// the services' databases and every answer clients saw, by code. Ends by itself.
//
//   npm run chaos -w bench [-- --flows 6 --shoppers 12 --down 1500 --settle 5000]
// Needs Go's FerretDB launcher built once (`npm run infra`), nats-server and redis-server;
// Stripe is the machine's stripe-mock (STRIPE_API_BASE), which is not restarted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type InfraProcess, startPrivateInfra } from '@ticketing/e2e';
import { audit } from './chaos/audit';
import { startChaosStack } from './chaos/chaosStack';
import { type FlowTally, purchaseFlow } from './chaos/purchaseFlows';
import { type Answers, Shopper } from './chaos/Shopper';
import { flag } from './stats';

const flows = flag('flows', 6);
const shopperCount = flag('shoppers', 12);
const downMs = flag('down', 1500);
const settleMs = flag('settle', 5000);
const EXPIRATION_SECONDS = 10;

const say = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
  say(`logs in ${logDir}`);
  const infra = await startPrivateInfra('chaos');
  say(`infrastructure: ${Object.values(infra.env).join(' ')}`);
  const stack = await startChaosStack(infra, logDir, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ORDER_EXPIRATION_SECONDS: String(EXPIRATION_SECONDS),
    ORDER_SWEEP_INTERVAL_MS: '1000',
    ORPHAN_LOCK_GRACE_MS: '5000',
    // One client address for every shopper: the per-address and per-buyer limits are not under test.
    RATE_LIMIT_API_KEY_POINTS: '0',
    RATE_LIMIT_USER_POINTS: '0',
    RATE_LIMIT_ANONYMOUS_POINTS: '0',
    SIGN_UP_PER_ADDRESS: '0',
    SIGN_IN_FREE_ATTEMPTS: '1000',
    MAX_ACTIVE_ORDERS_PER_BUYER: '1000',
    REORDER_COOLDOWN_SECONDS: '0',
  });
  say(`stack up: ${stack.services.map((s) => s.name).join(', ')}`);
  const answers: Answers = new Map();
  const tally: FlowTally = { tickets: 0, orders: 0, paid: 0, cancelled: 0, abandoned: 0 };
  let stopping = false;
  let faults = 0;
  try {
    const shoppers = Array.from({ length: shopperCount }, () => new Shopper(stack.gateways, answers));
    for (const s of shoppers) await s.signUp();
    const running = Array.from({ length: flows }, () => purchaseFlow(shoppers, tally, () => stopping));
    await sleep(settleMs);

    const restart = async (name: string, kill: () => Promise<void>, start: () => Promise<void>) => {
      const at = Date.now();
      await kill();
      await sleep(downMs);
      await start();
      faults++;
      say(`${name}: killed and started again, serving after ${((Date.now() - at) / 1000).toFixed(1)} s`);
      await sleep(settleMs);
    };
    for (const service of stack.services.filter((s) => s.name !== 'gateway-2')) {
      await restart(
        service.name,
        () => service.kill(),
        () => service.start(120_000),
      );
    }
    const infraProcesses: InfraProcess[] = [infra.nats, infra.redis, infra.mongo];
    for (const p of infraProcesses)
      await restart(
        p.name,
        () => p.kill(),
        () => p.start(),
      );
    await restart(
      'redis (flushed)',
      async () => {
        execFileSync('redis-cli', ['-u', infra.redis.url, 'FLUSHALL']);
        await infra.redis.kill();
      },
      () => infra.redis.start(),
    );

    stopping = true;
    await Promise.all(running);
    say('load stopped; waiting for every lock to end and every event to be applied…');
    await sleep((EXPIRATION_SECONDS + 5) * 1000);
    // Converged or not after a minute: what is left is what the run lost.
    let result = await audit(infra.mongo.url, 15_000);
    for (let i = 0; i < 12 && Object.values(flatten(result)).some((n) => n > 0); i++) {
      await sleep(5_000);
      result = await audit(infra.mongo.url, 15_000);
    }
    print(result, answers, tally, faults);
  } finally {
    stopping = true;
    await stack.stop();
    await infra.stop();
  }
}

function flatten(result: Awaited<ReturnType<typeof audit>>): Record<string, number> {
  const { eventsLost, ...rest } = result;
  return { ...rest, eventsLost: eventsLost.ticketCopiesBehind + eventsLost.paymentOrdersBehind };
}

function print(
  result: Awaited<ReturnType<typeof audit>>,
  answers: Answers,
  tally: FlowTally,
  faults: number,
) {
  const lines = [
    '',
    `faults injected:              ${faults} (each service, each gateway replica but one, NATS, Redis, the database, a Redis flush)`,
    `flows: ${tally.tickets} tickets listed, ${tally.orders} ordered: ${tally.paid} paid, ${tally.cancelled} cancelled, ${tally.abandoned} left to expire`,
    `tickets sold twice:           ${result.soldTwice}`,
    `orders stuck after their lock: ${result.stuckOrders}`,
    `tickets stranded reserved:    ${result.strandedReserved}`,
    `events lost:                  ${result.eventsLost.ticketCopiesBehind + result.eventsLost.paymentOrdersBehind} (ticket copies behind ${result.eventsLost.ticketCopiesBehind}, payments' orders behind ${result.eventsLost.paymentOrdersBehind})`,
    'answers by operation and code:',
    ...[...answers].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k.padEnd(40)} ${n}`),
    `INTERNAL_SERVER_ERROR:        ${[...answers].filter(([k]) => k.endsWith(' INTERNAL_SERVER_ERROR')).reduce((n, [, c]) => n + c, 0)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
