import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger?: Logger;
  /** A step that takes longer is abandoned (logged) so the others still run. Default 10 000 ms. */
  stepTimeoutMs?: number;
}

type Step = { name: string; run: () => unknown };

/**
 * Ordered cleanup: steps run last-registered first (stop taking work before closing what the work
 * uses), every step runs even when one fails, and calling `run` twice returns the same promise.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly options: ShutdownOptions = {}) {}

  get started(): boolean {
    return this.running !== undefined;
  }

  add(name: string, run: () => unknown): this {
    this.steps.push({ name, run });
    return this;
  }

  run(reason = 'shutdown'): Promise<void> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  /** Runs on SIGINT/SIGTERM, then exits; a second signal exits at once. */
  onSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): this {
    for (const signal of signals) {
      process.once(signal, () => {
        for (const s of signals) process.once(s, () => process.exit(1));
        void this.run(signal).then(() => process.exit(0));
      });
    }
    return this;
  }

  private async runSteps(reason: string): Promise<void> {
    const { logger, stepTimeoutMs = 10_000 } = this.options;
    logger?.info({ reason }, 'shutting down');
    for (const step of [...this.steps].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, stepTimeoutMs, 'timeout');
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(step.run), timeout]);
        if (outcome === 'timeout') logger?.warn({ step: step.name }, 'shutdown step timed out');
      } catch (err) {
        logger?.error({ err, step: step.name }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    logger?.info('stopped');
  }
}
