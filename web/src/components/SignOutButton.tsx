'use client';
import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { SignOutMutation } from '@/operations/users';

/** Ends the session server-side (the gateway revokes it), then re-renders as signed out. */
export function SignOutButton() {
  const router = useRouter();
  const [signOut, { loading }] = useMutation(SignOutMutation);
  return (
    <button
      type="button"
      className="button button-ghost"
      disabled={loading}
      onClick={async () => {
        await signOut().catch(() => undefined);
        router.push('/');
        router.refresh();
      }}
    >
      {loading ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
