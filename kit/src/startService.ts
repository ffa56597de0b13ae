import { createLogger, type Logger } from './logger';
import { Readiness } from './Readiness';
import { Shutdown } from './Shutdown';

export interface ServiceContext {
  logger: Logger;
  /** Each start-up step registers its cleanup here; they run last-registered first. */
  shutdown: Shutdown;
  /** Each dependency opened at start adds its live check here; the service's /readyz reports them. */
  readiness: Readiness;
}

/**
 * A service's start-up with its logger and Shutdown. If any step fails, everything already started
 * is stopped before the error is rethrown, so a failed start leaves no connection open.
 */
export async function startService<T extends object>(
  name: string,
  logger: Logger | undefined,
  start: (ctx: ServiceContext) => Promise<T>,
): Promise<T & { shutdown: Shutdown; readiness: Readiness; stop(): Promise<void> }> {
  const log = logger ?? createLogger({ service: name });
  const ctx: ServiceContext = {
    logger: log,
    shutdown: new Shutdown({ logger: log }),
    readiness: new Readiness(),
  };
  try {
    const started = await start(ctx);
    return {
      ...started,
      shutdown: ctx.shutdown,
      readiness: ctx.readiness,
      stop: () => ctx.shutdown.run(),
    };
  } catch (err) {
    await ctx.shutdown.run('failed to start');
    throw err;
  }
}
