'use client';
import { useEffect, useRef, useState } from 'react';
import { formatRemaining } from '@/lib/format';
import { useServerNow } from '@/lib/serverClock';

/** When a screen reader hears the time left: these many seconds before the end, and the end. */
const THRESHOLDS_S = [300, 60, 0];
/** Below this, the countdown looks urgent. */
const URGENT_MS = 60_000;

const spoken = (threshold: number) =>
  threshold === 0
    ? 'The time is up.'
    : threshold >= 60
      ? `${threshold / 60} minute${threshold === 60 ? '' : 's'} left.`
      : `${threshold} seconds left.`;

/** The last threshold reached `leftMs` before the end (Infinity: none yet). */
const reached = (leftMs: number) =>
  THRESHOLDS_S.reduce((at, t) => (leftMs <= t * 1000 ? Math.min(at, t) : at), Number.POSITIVE_INFINITY);

/**
 * Counts down to `until` on the server's clock (lib/serverClock), every second on screen; calls
 * onZero once there. With `announce`, a screen reader hears it only at the thresholds (5 minutes,
 * 1 minute, the end), each prefixed by `announce`, never every second.
 */
export function Countdown({
  until,
  onZero,
  className,
  announce,
}: {
  until: string;
  onZero?: () => void;
  className?: string;
  announce?: string;
}) {
  const now = useServerNow();
  const left = new Date(until).getTime() - now;
  const done = left <= 0;
  useEffect(() => {
    if (done) onZero?.();
  }, [done, onZero]);

  // Only a threshold crossed while watching is announced, not the one the page opened past.
  const [message, setMessage] = useState('');
  const last = useRef<number | null>(null);
  const threshold = reached(left);
  useEffect(() => {
    if (last.current !== null && threshold < last.current)
      setMessage(`${announce ?? ''} ${spoken(threshold)}`.trim());
    last.current = threshold;
  }, [threshold, announce]);

  const urgent = !done && left <= URGENT_MS;
  return (
    <>
      {/* The server's clock and the browser's differ by the render delay. */}
      <time
        className={`${className ?? ''}${urgent ? ' countdown-urgent' : ''}`.trim() || undefined}
        dateTime={until}
        data-urgent={urgent || undefined}
        suppressHydrationWarning
      >
        {formatRemaining(left)}
      </time>
      {announce !== undefined ? (
        <span className="sr-only" role="status" aria-live="polite" data-testid="countdown-announcement">
          {message}
        </span>
      ) : null}
    </>
  );
}
