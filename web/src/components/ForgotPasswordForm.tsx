'use client';
import { useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { describeError, fieldProblem } from '@/lib/errors';
import { useFormFeedback } from '@/lib/useFormFeedback';
import { RequestPasswordResetMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';

/**
 * Asks for a reset mail. The answer is the same whether or not an account has the address (the API
 * says nothing about it either), so this page cannot tell anyone which addresses have accounts.
 */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { problem, setProblem, formRef, resultRef, hydrated } = useFormFeedback<HTMLParagraphElement>(sentTo);
  const [request, { loading }] = useMutation(RequestPasswordResetMutation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    setProblem(null);
    setSentTo(null);
    if (!email) return setProblem(fieldProblem('email', 'Enter the email address of your account.'));
    try {
      await request({ variables: { email } });
      setSentTo(email);
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  return (
    <form ref={formRef} className="card form narrow" onSubmit={onSubmit} noValidate aria-busy={loading}>
      <h1>Forgot your password?</h1>
      <p className="muted">
        Enter your account's email address and we will mail you a link to choose a new one.
      </p>
      {sentTo ? (
        <p
          className="notice notice-success"
          role="status"
          ref={resultRef}
          tabIndex={-1}
          data-testid="reset-requested"
        >
          If an account uses {sentTo}, a link to choose a new password is on its way. It works once, for a
          short time. Nothing arrived? Check your spam folder, or ask again.
        </p>
      ) : null}
      <ErrorNotice problem={problem && Object.keys(fields).length === 0 ? problem : null} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fields.email} />
      <button type="submit" className="button button-primary button-block" disabled={loading || !hydrated}>
        {loading ? 'Please wait…' : 'Send reset link'}
      </button>
      <p className="muted center">
        Remembered it? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
