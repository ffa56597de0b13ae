import { createLogger, SettingsError } from '@ticketing/kit';
import { createOrdersService } from './createOrdersService';
import { readOrdersSettings } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'orders' });
  let settings: ReturnType<typeof readOrdersSettings>;
  try {
    settings = readOrdersSettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`orders: ${err.message}\n`);
    process.exit(1);
  }
  const service = await createOrdersService({ settings, logger });
  service.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `orders: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
