import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** The service name, on every line as `service`. */
  service: string;
  /** Default: LOG_LEVEL, else 'info'. Tests run with LOG_LEVEL=silent unless told otherwise. */
  level?: string;
}

/** Structured JSON logs on stdout, one object per line. */
export function createLogger({ service, level }: LoggerOptions): Logger {
  return pino({
    name: service,
    level: level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
