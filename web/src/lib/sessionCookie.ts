/** The gateway's session cookie (httpOnly; the web only forwards it and checks it is there). */
export const SESSION_COOKIE = 'session';

/**
 * The gateway's answer header when the cookie sent stopped working because its account is banned
 * (value `banned`; SessionProtocol.endedHeader in @ticketing/kit).
 */
export const SESSION_ENDED_HEADER = 'session-ended';
