import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { MeQuery } from '@/operations/users';
import { serverQuery } from './serverQuery';
import { SESSION_COOKIE } from './sessionCookie';
import { sessionBanned } from './sessionEnded';

/**
 * The signed-in user, or a redirect to sign-in that comes back to `path`. A session cookie the
 * gateway no longer accepts sends the visitor there with the reason: banned, or ended (signed out
 * everywhere, a password change elsewhere).
 */
export async function requireMe(path: string) {
  const { data } = await serverQuery(MeQuery);
  if (data?.me) return data.me;
  if (await sessionBanned()) redirect('/signin?reason=banned');
  const next = `next=${encodeURIComponent(path)}`;
  // `data` null is a problem reaching the API, which says nothing about the session.
  const ended = data !== null && Boolean((await cookies()).get(SESSION_COOKIE)?.value);
  redirect(`/signin?${ended ? 'reason=ended&' : ''}${next}`);
}
