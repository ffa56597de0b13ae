/** One dependency's check: resolves when it answers, throws (or times out) when it does not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export interface ReadinessReport {
  /** False when a required dependency is down: the service cannot serve now. */
  ready: boolean;
  /** Every dependency down now, required or not (an outage the service rides out is still shown). */
  down: string[];
  /** Each dependency: "ok", or why it is down. */
  checks: Record<string, string>;
}

/**
 * What a service's /readyz reports: each dependency checked live (within a timeout), so an outage
 * shows while it lasts and clears once the client has reconnected by itself. A required one down
 * (the database) makes the service unready; an optional one (NATS, whose events wait in the
 * outbox) is reported without taking the service out of rotation.
 */
export class Readiness {
  private readonly checks = new Map<string, { check: ReadinessCheck; required: boolean }>();

  add(name: string, check: ReadinessCheck, { required = true } = {}): this {
    this.checks.set(name, { check, required });
    return this;
  }

  async report(timeoutMs = 2_000): Promise<ReadinessReport> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, { check, required }]) => {
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          await Promise.race([
            check(signal),
            new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
          ]);
          return { name, required, problem: undefined };
        } catch (err) {
          return { name, required, problem: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const down = results.filter((r) => r.problem !== undefined);
    return {
      ready: !down.some((r) => r.required),
      down: down.map((r) => r.name),
      checks: Object.fromEntries(results.map((r) => [r.name, r.problem ? `down: ${r.problem}` : 'ok'])),
    };
  }
}
