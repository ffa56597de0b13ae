/** The gateway's session cookie (httpOnly; the web only forwards it and checks it is there). */
export const SESSION_COOKIE = 'session';
