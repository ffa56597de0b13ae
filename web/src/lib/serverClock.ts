'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * The server's clock as the browser can know it: the offset between the two, measured once per
 * page load against /time (NTP's way: the server's time against the middle of the round trip).
 * Countdowns read it, so a browser whose clock is off shows the server's deadlines truly.
 */
let offsetMs = 0;
let measured: Promise<void> | null = null;
const listeners = new Set<() => void>();

function measure(): Promise<void> {
  measured ??= (async () => {
    try {
      const sentAt = Date.now();
      const reply = await fetch('/time', { cache: 'no-store' });
      const receivedAt = Date.now();
      const { now } = (await reply.json()) as { now: number };
      offsetMs = now - (sentAt + receivedAt) / 2;
      for (const l of listeners) l();
    } catch {
      measured = null; // measured again by the next countdown
    }
  })();
  return measured;
}

/** The server's time now, by the browser's clock corrected by the offset measured. */
export const serverNow = () => Date.now() + offsetMs;

/** Seeds the offset from the time the page was rendered (until /time has answered). */
export function seedServerClock(renderedAt: number) {
  if (!measured && offsetMs === 0) offsetMs = renderedAt - Date.now();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  void measure();
  return () => listeners.delete(l);
};

/** The server's time, re-rendered every `everyMs` (and when the offset is measured). */
export function useServerNow(everyMs = 1_000): number {
  const offset = useSyncExternalStore(
    subscribe,
    () => offsetMs,
    () => 0,
  );
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [offset, everyMs]);
  return now;
}
