import { redirect } from 'next/navigation';
import { MeQuery } from '@/operations/users';
import { serverQuery } from './serverQuery';

/** The signed-in user, or a redirect to sign-in that comes back to `path`. */
export async function requireMe(path: string) {
  const { data } = await serverQuery(MeQuery);
  if (!data?.me) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return data.me;
}
