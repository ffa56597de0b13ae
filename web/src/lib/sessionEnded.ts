import { cache } from 'react';

/**
 * What this server request learnt about the visitor's session cookie from the gateway: whether it
 * stopped working because the account is banned. One record per request (React's cache), written
 * by the server client's fetch, read by requireMe and the header.
 */
const record = cache((): { banned: boolean } => ({ banned: false }));

export const noteSessionBanned = () => {
  record().banned = true;
};

export const sessionBanned = () => record().banned;
