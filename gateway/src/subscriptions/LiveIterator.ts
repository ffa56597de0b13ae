import type { ExecutionResult } from 'graphql';

/**
 * What graphql-ws iterates for a live subscription: it yields nothing (the hub sends each update on
 * the socket itself, serialised once per group) and ends when the subscription does. Ending it, by
 * the client leaving (`return()`), the socket closing or the server stopping, runs `onClose` once.
 */
export class LiveIterator implements AsyncIterableIterator<ExecutionResult> {
  private ended = false;
  private readonly waiters: Array<(result: IteratorResult<ExecutionResult>) => void> = [];

  constructor(private readonly onClose: () => void) {}

  get closed(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose();
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
