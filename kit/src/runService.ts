import { createLogger, type Logger } from './logger';
import type { Shutdown } from './Shutdown';
import { SettingsError } from './settings';

/**
 * A service's process entry (its main.ts): settings read first, where a wrong one is a one-line
 * message for the operator rather than a stack; then started and stopped on SIGINT/SIGTERM. A
 * failed start exits 1 with its stack, so the orchestrator restarts the process.
 */
export function runService<S>(
  name: string,
  readSettings: () => S,
  start: (settings: S, logger: Logger) => Promise<{ shutdown: Shutdown }>,
): void {
  const fail = (message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    return process.exit(1);
  };
  const main = async () => {
    const logger = createLogger({ service: name });
    let settings: S;
    try {
      settings = readSettings();
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      return fail(err.message);
    }
    const started = await start(settings, logger);
    started.shutdown.onSignals();
  };
  main().catch((err: unknown) =>
    fail(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  );
}
