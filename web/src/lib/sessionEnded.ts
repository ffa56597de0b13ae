import { cookies } from 'next/headers';
import { cache } from 'react';
import { SESSION_ENDED_COOKIE } from './sessionCookie';

/**
 * What this server request learnt about the visitor's session cookie from the gateway: whether it
 * stopped working because the account is banned. One record per request (React's cache), written
 * by the server client's fetch, read by requireMe and the header.
 */
const record = cache((): { banned: boolean } => ({ banned: false }));

export const noteSessionBanned = () => {
  record().banned = true;
};

/**
 * Whether the visitor is signed out because the account is banned: the gateway said so of the
 * session cookie sent with this request, or cleared that cookie earlier and left its mark.
 */
export const sessionBanned = async () =>
  record().banned || (await cookies()).get(SESSION_ENDED_COOKIE)?.value === 'banned';
