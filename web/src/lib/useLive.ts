'use client';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type LiveState, liveStore } from './liveConnection';

const POLL_MS = 3_000;

/** A failed refresh is retried by the next poll; nothing to show for it. */
const safely = (refresh: () => void | Promise<void>) => {
  Promise.resolve()
    .then(refresh)
    .catch(() => undefined);
};

interface LiveOptions<S, V extends OperationVariables> {
  subscription: TypedDocumentNode<S, V>;
  variables?: V;
  /** Called with each pushed payload. */
  onData: (data: S) => void;
  /** Refreshes from the API: after subscribing (to catch what changed meanwhile), and while not live. */
  refresh: () => void | Promise<void>;
  enabled?: boolean;
}

/**
 * Live updates: a graphql-ws subscription, with polling while the socket is not connected
 * (connecting, refused by a gateway without subscriptions, or dropped), so a page never
 * silently goes stale. Returns the connection state for a "live" indicator.
 */
export function useLive<S, V extends OperationVariables>(options: LiveOptions<S, V>): LiveState {
  const client = useApolloClient();
  const socket = useSyncExternalStore(liveStore.subscribe, liveStore.get, liveStore.serverGet);
  // The socket may be up while this one subscription is refused (e.g. FORBIDDEN): poll then too.
  const [refused, setRefused] = useState(false);
  const state: LiveState = refused ? 'offline' : socket;
  const latest = useRef(options);
  latest.current = options;
  const enabled = options.enabled ?? true;
  const key = JSON.stringify(options.variables ?? {});

  // biome-ignore lint/correctness/useExhaustiveDependencies: resubscribe when the variables' value changes, not their identity
  useEffect(() => {
    if (!enabled) return;
    const { subscription, variables } = latest.current;
    setRefused(false);
    const sub = client
      .subscribe({ query: subscription, ...(variables ? { variables } : {}) } as never)
      .subscribe({
        next: (result) => {
          // Apollo Client 4 delivers a refused subscription (e.g. FORBIDDEN) as a result with an error.
          if (result.error) setRefused(true);
          const data = result.data as S | null | undefined;
          if (data) latest.current.onData(data);
        },
        error: () => setRefused(true),
      });
    return () => sub.unsubscribe();
  }, [client, enabled, key]);

  useEffect(() => {
    if (!enabled) return;
    if (state === 'live') {
      safely(latest.current.refresh);
      return;
    }
    const timer = setInterval(() => safely(latest.current.refresh), POLL_MS);
    return () => clearInterval(timer);
  }, [state, enabled]);

  return state;
}
