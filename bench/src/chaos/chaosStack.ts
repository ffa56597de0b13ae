import fs from 'node:fs';
import path from 'node:path';
import type { PrivateInfra } from '@ticketing/e2e';
import { freePort } from '@ticketing/kit/testing';
import { answers, printed, ServiceProcess } from './ServiceProcess';

export interface ChaosStack {
  services: ServiceProcess[];
  /** The gateway replicas' /graphql, as a load balancer spreads clients over them. */
  gateways: string[];
  stop(): Promise<void>;
}

/**
 * Users, tickets, orders and payments, the expiration worker and two gateway replicas, each a
 * process of its own on private ports, against the private infrastructure.
 */
export async function startChaosStack(infra: PrivateInfra, logDir: string, env: NodeJS.ProcessEnv) {
  const taken = new Set<number>();
  const subgraphs = ['users', 'tickets', 'orders', 'payments'];
  const ports = Object.fromEntries(await Promise.all(subgraphs.map(async (s) => [s, await freePort(taken)])));
  const common = { ...process.env, ...env, ...infra.env, REDIS_PREFIX: 'chaos:' };
  const urls = Object.fromEntries(
    subgraphs.map((s) => [`SUBGRAPH_${s.toUpperCase()}_URL`, `http://127.0.0.1:${ports[s]}/graphql`]),
  );
  const services: ServiceProcess[] = [];
  const log = (name: string) => path.join(logDir, `${name}.log`);
  for (const name of subgraphs) {
    const port = ports[name] as number;
    services.push(
      new ServiceProcess(
        name,
        `subgraphs/${name}/src/main.ts`,
        { ...common, PORT: String(port) },
        log(name),
        answers(`http://127.0.0.1:${port}/healthz`),
      ),
    );
  }
  services.push(
    new ServiceProcess(
      'expiration',
      'workers/expiration/src/main.ts',
      // Its ready line is logged at info.
      { ...common, LOG_LEVEL: 'info' },
      log('expiration'),
      printed('expiration worker ready'),
    ),
  );
  const gateways: string[] = [];
  for (const replica of [1, 2]) {
    const port = await freePort(taken);
    gateways.push(`http://127.0.0.1:${port}/graphql`);
    services.push(
      new ServiceProcess(
        `gateway-${replica}`,
        'gateway/src/main.ts',
        { ...common, ...urls, PORT: String(port) },
        log(`gateway-${replica}`),
        answers(`http://127.0.0.1:${port}/healthz`),
      ),
    );
  }
  fs.mkdirSync(logDir, { recursive: true });
  // One at a time: two cores, each start compiles its sources.
  for (const s of services) await s.start(120_000);
  return {
    services,
    gateways,
    async stop() {
      for (const s of [...services].reverse()) await s.stop();
    },
  };
}
