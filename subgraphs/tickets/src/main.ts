import { createLogger, SettingsError } from '@ticketing/kit';
import { createTicketsService } from './createTicketsService';
import { readTicketsSettings } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'tickets' });
  let settings: ReturnType<typeof readTicketsSettings>;
  try {
    settings = readTicketsSettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`tickets: ${err.message}\n`);
    process.exit(1);
  }
  const service = await createTicketsService({ settings, logger });
  service.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `tickets: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
