'use client';
import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { describeError, type Problem } from '@/lib/errors';
import { useFocusProblem } from '@/lib/useFocusProblem';
import { useHydrated } from '@/lib/useHydrated';
import { SignOutEverywhereMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';

/** Ends every session of the account, this one too; then sign-in says what happened. */
export function SignOutEverywhere() {
  const router = useRouter();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [signOutEverywhere, { loading }] = useMutation(SignOutEverywhereMutation);
  const section = useRef<HTMLElement>(null);
  const hydrated = useHydrated();
  useFocusProblem(problem, section);

  async function onClick() {
    setProblem(null);
    try {
      await signOutEverywhere();
      router.push('/signin?reason=signed-out-everywhere');
      router.refresh();
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  return (
    <section ref={section} className="card form" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Devices</h2>
      <p className="muted">
        Signed in somewhere you no longer use, or think someone else is? Sign out everywhere, this browser
        included. API keys keep working: revoke them on the API keys page.
      </p>
      <ErrorNotice problem={problem} />
      <button
        type="button"
        className="button button-danger"
        onClick={onClick}
        disabled={loading || !hydrated}
      >
        {loading ? 'Signing out…' : 'Sign out of all devices'}
      </button>
    </section>
  );
}
