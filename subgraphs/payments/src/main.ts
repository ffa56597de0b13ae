import { createLogger, SettingsError } from '@ticketing/kit';
import { createPaymentsService } from './createPaymentsService';
import { readPaymentsSettings } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'payments' });
  let settings: ReturnType<typeof readPaymentsSettings>;
  try {
    settings = readPaymentsSettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`payments: ${err.message}\n`);
    process.exit(1);
  }
  const service = await createPaymentsService({ settings, logger });
  service.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `payments: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
