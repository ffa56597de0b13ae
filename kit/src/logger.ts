import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** The service name, on every line as `service`. */
  service: string;
  /** Default: LOG_LEVEL, else 'info' ('silent' under jest unless LOG_LEVEL says otherwise). */
  level?: string;
}

/** Structured JSON logs on stdout, one object per line. */
export function createLogger({ service, level }: LoggerOptions): Logger {
  const fallback = process.env.JEST_WORKER_ID ? 'silent' : 'info';
  return pino({
    name: service,
    level: level ?? process.env.LOG_LEVEL ?? fallback,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
