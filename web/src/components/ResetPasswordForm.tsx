'use client';
import { useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { describeError, type Problem } from '@/lib/errors';
import { useFormFeedback } from '@/lib/useFormFeedback';
import { ResetPasswordMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';
import { NewPasswordField } from './NewPasswordField';

const ASK_AGAIN = [{ href: '/forgot-password', label: 'Ask for a new link' }];
const INCOMPLETE: Problem = {
  code: 'BAD_USER_INPUT',
  message: 'This reset link is incomplete. Open the link from the email again, or ask for a new one.',
  fields: {},
};

/**
 * Sets a new password with the reset mail's token. The API signs this browser in (and ends every
 * other session), so success says so and the header re-renders signed in.
 */
export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [signedInAs, setSignedInAs] = useState<string | null>(null);
  const { problem, setProblem, formRef, resultRef, hydrated } = useFormFeedback<HTMLDivElement>(
    signedInAs,
    token ? null : INCOMPLETE,
  );
  const [reset, { loading }] = useMutation(ResetPasswordMutation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const newPassword = String(new FormData(event.currentTarget).get('newPassword') ?? '');
    setProblem(null);
    try {
      const { data } = await reset({ variables: { token, newPassword } });
      if (!data) return;
      setSignedInAs(data.resetPassword.email ?? '');
      router.refresh();
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  if (signedInAs !== null) {
    return (
      <div className="card form narrow" ref={resultRef} tabIndex={-1} role="status">
        <h1>Password changed</h1>
        <p className="notice notice-success" data-testid="reset-done">
          Your new password is set and you are signed in{signedInAs ? ` as ${signedInAs}` : ''}. Every other
          session of this account has been signed out.
        </p>
        <p>
          <Link href="/" className="button button-primary">
            Find tickets
          </Link>{' '}
          <Link href="/account" className="button button-ghost">
            Your account
          </Link>
        </p>
      </div>
    );
  }

  // A bad token is not an input here: say so above the form, with the way to a new link.
  const tokenProblem = problem?.fields.token ?? (problem === INCOMPLETE ? problem.message : null);
  const fields = problem?.fields ?? {};
  const general = problem && !tokenProblem && Object.keys(fields).length === 0 ? problem : null;
  return (
    <form ref={formRef} className="card form narrow" onSubmit={onSubmit} noValidate aria-busy={loading}>
      <h1>Choose a new password</h1>
      <ErrorNotice
        problem={tokenProblem ? { code: 'BAD_USER_INPUT', message: tokenProblem, fields: {} } : null}
        links={ASK_AGAIN}
      />
      <ErrorNotice problem={general} />
      <NewPasswordField error={fields.newPassword} />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={loading || !token || !hydrated}
      >
        {loading ? 'Please wait…' : 'Set new password'}
      </button>
    </form>
  );
}
