import { createLogger, SettingsError } from '@ticketing/kit';
import { createExpirationWorker } from './createExpirationWorker';
import { readExpirationSettings } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'expiration' });
  let settings: ReturnType<typeof readExpirationSettings>;
  try {
    settings = readExpirationSettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`expiration: ${err.message}\n`);
    process.exit(1);
  }
  const worker = await createExpirationWorker({ settings, logger });
  logger.info({ queue: settings.EXPIRATION_QUEUE }, 'expiration worker ready');
  worker.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `expiration: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
