'use client';
import { useEffect, useState } from 'react';
import { formatRemaining } from '@/lib/format';

/** Ticks every second until `until`; calls onZero once when it gets there. */
export function Countdown({
  until,
  onZero,
  className,
}: {
  until: string;
  onZero?: () => void;
  className?: string;
}) {
  const target = new Date(until).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const left = target - now;
  const done = left <= 0;
  useEffect(() => {
    if (done) onZero?.();
  }, [done, onZero]);
  return (
    // The server's clock and the browser's differ by the render delay.
    <time className={className} dateTime={until} suppressHydrationWarning>
      {formatRemaining(left)}
    </time>
  );
}
