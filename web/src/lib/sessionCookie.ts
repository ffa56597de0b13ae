/** The gateway's session cookie (httpOnly; the web only forwards it and checks it is there). */
export const SESSION_COOKIE = 'session';

/**
 * The gateway's answer header when the cookie sent stopped working because its account is banned
 * (value `banned`; SessionProtocol.endedHeader in @ticketing/kit).
 */
export const SESSION_ENDED_HEADER = 'session-ended';

/**
 * Left by the gateway in place of the session cookie it clears because the account is banned
 * (value `banned`; SessionProtocol.endedCookieName): a live page's own requests clear the session
 * cookie, and the next page still knows why the visitor is signed out.
 */
export const SESSION_ENDED_COOKIE = 'session_ended';
