// A graphql-ws client for tests and bench: subscribe, then await each message in order.
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

export interface TestSubscription<T> {
  /** Every message so far, in arrival order. */
  messages: Received<T>[];
  /** The next message not yet taken by `next` (waits up to `ms`). */
  next(ms?: number): Promise<Received<T>>;
  /** Resolves with the error when the server refuses the subscription. */
  refused: Promise<ReadonlyArray<{ message: string; extensions?: { code?: string } }>>;
}

/** A WebSocket client to `httpUrl`'s /graphql, sending `cookie` on the upgrade like a browser would. */
export function connectClient(
  httpUrl: string,
  auth: { cookie?: string; bearer?: string } = {},
  onClosed: (code: number) => void = () => {},
): Client {
  const headers = auth.cookie ? { cookie: auth.cookie } : undefined;
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: BrowserLikeSocket,
    lazy: false,
    retryAttempts: 0,
    // A socket closed by the server (a gateway stopping) is an expected end here, not an error.
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed((event as { code?: number }).code ?? 0) },
    ...(auth.bearer ? { connectionParams: { authorization: `Bearer ${auth.bearer}` } } : {}),
  });
}

export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): TestSubscription<T> {
  const messages: Received<T>[] = [];
  const waiters: Array<() => void> = [];
  let taken = 0;
  let refuse: (errors: ReadonlyArray<{ message: string }>) => void = () => {};
  const refused = new Promise<ReadonlyArray<{ message: string; extensions?: { code?: string } }>>((r) => {
    refuse = r;
  });
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        messages.push(value as Received<T>);
        for (const w of waiters.splice(0)) w();
      },
      error: (err) => refuse(Array.isArray(err) ? err : [{ message: String(err) }]),
      complete: () => {},
    },
  );
  return {
    messages,
    refused,
    async next(ms = 10_000) {
      const deadline = Date.now() + ms;
      while (messages.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no message within ${ms} ms (got ${messages.length})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return messages[taken++] as Received<T>;
    },
  };
}
