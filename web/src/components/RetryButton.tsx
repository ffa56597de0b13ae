'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** Loads the page's data again (the server components re-render; the page stays). */
export function RetryButton({ label = 'Try again' }: { label?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className="button button-ghost"
      onClick={() => start(() => router.refresh())}
      disabled={pending}
    >
      {pending ? 'Trying again…' : label}
    </button>
  );
}
