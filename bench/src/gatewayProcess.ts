// Child process of bench/gateway: our gateway alone in a process, as Hive Gateway is in its own,
// against the subgraphs of the parent's test stack. Its URL goes to the parent over IPC; a "stop"
// message shuts it down (and lets `--cpu-prof` write its profile).
import { readFileSync } from 'node:fs';
import type { StreamSettings } from '@ticketing/events';
import { createGateway, readGatewaySettings, SUPERGRAPH_FILE } from '@ticketing/gateway';

export interface GatewayProcessConfig {
  subgraphUrls: Record<string, string>;
  stream: StreamSettings;
  /** The settings of the stack's gateway (REDIS_PREFIX for its sessions) and any override. */
  env: Record<string, string>;
}

async function main() {
  const config = JSON.parse(process.env.BENCH_GATEWAY_CONFIG ?? '{}') as GatewayProcessConfig;
  const settings = readGatewaySettings({ ...process.env, ...config.env, PORT: '0' });
  const gateway = await createGateway({
    settings,
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    events: { stream: config.stream },
  });
  process.on('message', (message) => {
    if (message === 'stop') void gateway.stop().then(() => process.exit(0));
  });
  process.send?.({ url: gateway.url });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `gateway process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
