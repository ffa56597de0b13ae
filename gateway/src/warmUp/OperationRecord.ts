import type { ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';

export interface RecordedOperation {
  query: string;
  operationName?: string;
}

export interface OperationRecordOptions {
  redis: Redis;
  redisPrefix: string;
  /** How many operations the record keeps (the most used); what a replica warms at start. */
  max: number;
  /** How often this replica adds what it saw. Default 10 s. */
  flushMs?: number;
}

/**
 * The operations clients send, most used first, shared by the replicas in Redis: a starting
 * replica plans and validates them before it takes traffic (warmUp). Only the documents are kept,
 * never variables (they may carry passwords). Counted in memory and written every few seconds, so
 * a request costs a map update, not a Redis call.
 */
export class OperationRecord {
  private readonly key: string;
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OperationRecordOptions) {
    this.key = `${options.redisPrefix}gateway:operations`;
  }

  /** Records each operation that parsed and validated (so only real operations are warmed). */
  plugin<T extends object>(): ApolloServerPlugin<T> {
    const seen = this.seen;
    const limit = this.options.max * 10;
    const hooks = {
      async didResolveOperation({ request }: { request: { query?: string; operationName?: string | null } }) {
        if (!request.query) return;
        const key = JSON.stringify([request.query, request.operationName ?? null]);
        const count = seen.get(key);
        if (count !== undefined) seen.set(key, count + 1);
        else if (seen.size < limit) seen.set(key, 1);
      },
    };
    return { requestDidStart: async () => hooks };
  }

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.options.flushMs ?? 10_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Adds what this replica saw since the last flush, keeping the `max` most used. */
  async flush(): Promise<void> {
    if (!this.seen.size) return;
    const batch = this.options.redis.multi();
    for (const [member, count] of this.seen) batch.zincrby(this.key, count, member);
    batch.zremrangebyrank(this.key, 0, -(this.options.max + 1));
    this.seen.clear();
    await batch.exec();
  }

  async top(): Promise<RecordedOperation[]> {
    const members = await this.options.redis.zrevrange(this.key, 0, this.options.max - 1);
    return members.flatMap((member) => {
      const [query, operationName] = JSON.parse(member) as [string, string | null];
      return typeof query === 'string' ? [{ query, ...(operationName ? { operationName } : {}) }] : [];
    });
  }
}
