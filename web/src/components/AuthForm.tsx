'use client';
import { useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useRef, useState } from 'react';
import { describeError, type Problem } from '@/lib/errors';
import type { SignInNotice } from '@/lib/signInNotice';
import { useFocusProblem } from '@/lib/useFocusProblem';
import { useHydrated } from '@/lib/useHydrated';
import { SignInMutation, SignUpMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';

/**
 * Sign in or sign up: the gateway sets the session cookie on success; then the app re-renders.
 * `notice` says why the visitor is here (signed out everywhere, a banned account) until a submit.
 */
export function AuthForm({
  mode,
  next,
  notice,
}: {
  mode: 'signin' | 'signup';
  next?: string;
  notice?: SignInNotice;
}) {
  const router = useRouter();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [signIn, signInState] = useMutation(SignInMutation);
  const [signUp, signUpState] = useMutation(SignUpMutation);
  const loading = signInState.loading || signUpState.loading;
  const isSignUp = mode === 'signup';
  const formRef = useRef<HTMLFormElement>(null);
  const hydrated = useHydrated();
  useFocusProblem(problem, formRef);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const variables = {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    setProblem(null);
    setSubmitted(true);
    try {
      await (isSignUp ? signUp({ variables }) : signIn({ variables }));
      router.push(next?.startsWith('/') ? next : '/');
      router.refresh();
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  const general = problem && Object.keys(fields).length === 0 ? problem : null;
  return (
    <form ref={formRef} className="card form narrow" onSubmit={onSubmit} noValidate aria-busy={loading}>
      <h1>{isSignUp ? 'Create your account' : 'Welcome back'}</h1>
      <p className="muted">
        {isSignUp ? 'Sell tickets or buy them in minutes.' : 'Sign in to buy and sell tickets.'}
      </p>
      {notice && !submitted ? (
        <p
          className={`notice notice-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="signin-notice"
        >
          {notice.text}
        </p>
      ) : null}
      <ErrorNotice problem={general} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fields.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={isSignUp ? 'new-password' : 'current-password'}
        required
        error={fields.password}
        {...(isSignUp ? { hint: 'At least 8 characters.' } : {})}
      />
      {isSignUp ? null : (
        <p className="small">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      )}
      <button type="submit" className="button button-primary button-block" disabled={loading || !hydrated}>
        {loading ? 'Please wait…' : isSignUp ? 'Sign up' : 'Sign in'}
      </button>
      <p className="muted center">
        {isSignUp ? 'Already have an account? ' : 'New here? '}
        <Link href={isSignUp ? '/signin' : '/signup'}>{isSignUp ? 'Sign in' : 'Create an account'}</Link>
      </p>
    </form>
  );
}
