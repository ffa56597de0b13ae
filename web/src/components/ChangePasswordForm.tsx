'use client';
import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { describeError, fieldProblem } from '@/lib/errors';
import { useFormFeedback } from '@/lib/useFormFeedback';
import { ChangePasswordMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';
import { NewPasswordField } from './NewPasswordField';

/**
 * Changes the password with the current one. The API ends every other session and keeps this one
 * (under a new session id, in the cookie its answer sets), so the page stays signed in.
 */
export function ChangePasswordForm() {
  const [changed, setChanged] = useState(false);
  const { problem, setProblem, formRef, resultRef, hydrated } =
    useFormFeedback<HTMLParagraphElement>(changed);
  const [changePassword, { loading }] = useMutation(ChangePasswordMutation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    setProblem(null);
    setChanged(false);
    if (!currentPassword) return setProblem(fieldProblem('currentPassword', 'Enter your current password.'));
    try {
      await changePassword({ variables: { currentPassword, newPassword } });
      formEl.reset();
      setChanged(true);
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={loading}
      aria-labelledby="change-password-title"
    >
      <h2 id="change-password-title">Change password</h2>
      {changed ? (
        <p className="notice notice-success" role="status" ref={resultRef} tabIndex={-1}>
          Your password has been changed. You are still signed in here; every other device has been signed
          out.
        </p>
      ) : null}
      <ErrorNotice problem={problem && Object.keys(fields).length === 0 ? problem : null} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fields.currentPassword}
      />
      <NewPasswordField error={fields.newPassword} />
      <button type="submit" className="button button-primary" disabled={loading || !hydrated}>
        {loading ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
