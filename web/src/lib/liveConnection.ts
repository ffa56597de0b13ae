'use client';
import { type Client, createClient } from 'graphql-ws';

export type LiveState = 'connecting' | 'live' | 'offline';

let state: LiveState = 'connecting';
const listeners = new Set<() => void>();
const set = (next: LiveState) => {
  if (state === next) return;
  state = next;
  for (const l of listeners) l();
};

/** The connection's state as a tiny external store (useSyncExternalStore). */
export const liveStore = {
  get: (): LiveState => state,
  serverGet: (): LiveState => 'connecting',
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/**
 * graphql-ws on the page's own origin: /graphql is proxied to the gateway, so the httpOnly
 * session cookie rides along on the upgrade. A few retries only: when the gateway refuses
 * subscriptions, pages fall back to polling instead of hammering it.
 */
export function createLiveClient(): Client {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createClient({
    url: `${scheme}://${window.location.host}/graphql`,
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: 3,
    keepAlive: 15_000,
    on: {
      connecting: () => set(state === 'live' ? 'live' : 'connecting'),
      connected: () => set('live'),
      closed: () => set('offline'),
      error: () => set('offline'),
    },
  });
}
