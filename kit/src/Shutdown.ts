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

  /**
   * Runs on SIGINT/SIGTERM, then exits. A signal repeated within `repeatWindowMs` is the same
   * request (a runner signals the process group and npm passes it on again): the clean stop goes
   * on. A later one exits at once.
   */
  onSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'], repeatWindowMs = 3_000): this {
    let firstAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstAt !== undefined) {
        if (Date.now() - firstAt >= repeatWindowMs) process.exit(1);
        return;
      }
      firstAt = Date.now();
      void this.run(signal).then(() => process.exit(0));
    };
    for (const signal of signals) process.on(signal, onSignal);
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
