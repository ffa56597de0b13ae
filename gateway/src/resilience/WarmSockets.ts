import type { Logger } from '@ticketing/kit';
import type { HttpFetcher } from '../httpFetcher';

export interface WarmSocketsOptions {
  fetcher: Pick<HttpFetcher, 'warm'>;
  /** One cheap URL per subgraph to GET (each subgraph's /healthz); read at every round. */
  urls: () => string[];
  /** Keep-alive sockets kept open to each subgraph (SUBGRAPH_WARM_SOCKETS); 0: none. */
  sockets: number;
  /** How often the sockets closed since (idle, or by a subgraph's restart) are opened again. Default 30,000 ms. */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * Keeps sockets to every subgraph open ahead of a rush, as a database driver keeps a pool's
 * minimum. Without it, 200 buyers at once made the gateway open 150 to 200 sockets to orders in
 * the middle of the rush: the accepts and first reads wait behind the requests already being
 * served in the subgraph's event loop, so the subgraph received the rush spread over a second or
 * two instead of at once, its group-committed inserts went one by one, and the slowest buyer
 * waited 1 to 2.4 s instead of about 0.45 s (bench/scale's burst, 1,000 tickets).
 */
export class WarmSockets {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly options: WarmSocketsOptions) {}

  start(): this {
    if (this.options.sockets <= 0 || this.timer) return this;
    void this.warmNow();
    this.timer = setInterval(() => void this.warmNow(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
    return this;
  }

  /** One round: every subgraph's sockets opened up to the number (one round at a time). */
  warmNow(): Promise<void> {
    this.round ??= Promise.all(
      this.options.urls().map((url) =>
        this.options.fetcher.warm(url, this.options.sockets).catch((err: unknown) => {
          this.options.logger?.debug({ err, url }, 'could not open sockets to a subgraph');
        }),
      ),
    )
      .then(() => undefined)
      .finally(() => {
        this.round = undefined;
      });
    return this.round;
  }

  /** Stops the rounds; safe to call twice. The sockets close with the fetcher. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }
}
