'use client';
import { seedServerClock } from './serverClock';

/** Seeds the browser's estimate of the server's clock with the time this page was rendered. */
export function ServerClockSeed({ renderedAt }: { renderedAt: number }) {
  if (typeof window !== 'undefined') seedServerClock(renderedAt);
  return null;
}
