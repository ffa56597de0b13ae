/**
 * Collapses concurrent calls for one key into one: the first caller (the leader) runs the work,
 * callers arriving while it runs share its outcome. Under a rush of buyers for one ticket this
 * turns N database round trips into one; the database still decides (nothing is cached after).
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  async run(key: string, work: () => Promise<V>): Promise<{ leader: boolean; value: V }> {
    const running = this.inFlight.get(key);
    if (running) return { leader: false, value: await running };
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { leader: true, value: await promise };
  }
}
