/**
 * Identical requests in flight share one: the first starts it, later ones with the same key wait
 * for its outcome (answer or failure) until it settles. What may share a key is the caller's
 * decision (PublicReads: anonymous reads of one subgraph, same body, same generation).
 */
export class InflightRequests<T> {
  private readonly pending = new Map<string, Promise<T>>();
  private joined = 0;

  run(key: string, start: () => Promise<T>): Promise<T> {
    const current = this.pending.get(key);
    if (current) {
      this.joined++;
      return current;
    }
    const started = start().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  /** Requests answered by another's subgraph call, since start. */
  get shared(): number {
    return this.joined;
  }
}
