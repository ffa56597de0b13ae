import { createLogger, SettingsError } from '@ticketing/kit';
import { createUsersService } from './createUsersService';
import { readUsersSettings } from './settings';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'users' });
  let settings: ReturnType<typeof readUsersSettings>;
  try {
    settings = readUsersSettings();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`users: ${err.message}\n`);
    process.exit(1);
  }
  const service = await createUsersService({ settings, logger });
  service.shutdown.onSignals();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `users: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
