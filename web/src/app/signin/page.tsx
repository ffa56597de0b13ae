import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { AuthForm } from '@/components/AuthForm';
import { serverQuery } from '@/lib/serverQuery';
import { SESSION_COOKIE } from '@/lib/sessionCookie';
import { sessionBanned } from '@/lib/sessionEnded';
import { signInNotice } from '@/lib/signInNotice';
import { MeQuery } from '@/operations/users';

export const metadata: Metadata = { title: 'Sign in' };

/** A visitor signed out by a ban (now, or earlier as the gateway's mark says) is told so first. */
async function bannedVisitor(): Promise<boolean> {
  if ((await cookies()).get(SESSION_COOKIE)?.value) await serverQuery(MeQuery);
  return sessionBanned();
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; reason?: string }>;
}) {
  const { next, reason } = await searchParams;
  const notice = signInNotice(reason === undefined && (await bannedVisitor()) ? 'banned' : reason);
  return <AuthForm mode="signin" {...(next ? { next } : {})} {...(notice ? { notice } : {})} />;
}
