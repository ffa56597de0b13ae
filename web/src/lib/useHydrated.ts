'use client';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False in the server's HTML and until React has hydrated it, then true. A form's submit stays
 * disabled until then: submitted earlier, the browser would send it as a plain GET, with the
 * password in the address (and nothing of the app's handling).
 */
export const useHydrated = () =>
  useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
