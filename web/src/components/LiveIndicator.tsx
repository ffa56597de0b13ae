import type { LiveState } from '@/lib/liveConnection';

const TEXT: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Updating every few seconds',
};

/** Tells the visitor whether what they see updates by itself, and how. */
export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span className={`live live-${state}`} data-live={state} role="status">
      <span className="live-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
