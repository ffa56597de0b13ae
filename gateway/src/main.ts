import { readFileSync } from 'node:fs';
import { createLogger, SettingsError } from '@ticketing/kit';
import { SUPERGRAPH_FILE } from './composeSupergraph';
import { createGateway } from './createGateway';
import { readGatewaySettings, subgraphUrlsFromEnv } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'gateway' });
  let settings: ReturnType<typeof readGatewaySettings>;
  try {
    settings = readGatewaySettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`gateway: ${err.message}\n`);
    process.exit(1);
  }
  const supergraphSdl = readFileSync(settings.SUPERGRAPH_PATH || SUPERGRAPH_FILE, 'utf8');
  const gateway = await createGateway({
    settings,
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromEnv(),
    logger,
  });
  gateway.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `gateway: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
