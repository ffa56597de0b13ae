import { type NextRequest, NextResponse } from 'next/server';
import { SESSION_COOKIE, SESSION_ENDED_COOKIE } from './lib/sessionCookie';

/**
 * Protected pages send a visitor without a session to sign in with a real redirect (307 and a
 * Location), before any HTML streams; one whose session a ban ended is told so there. A session that turns out to be dead is caught by the page
 * itself (requireMe), which can then only redirect within the streamed page.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const signIn = new URL('/signin', request.url);
  // Signed out by a ban (the gateway's mark): sign-in says why, as requireMe does.
  if (request.cookies.get(SESSION_ENDED_COOKIE)?.value === 'banned')
    signIn.searchParams.set('reason', 'banned');
  else signIn.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(signIn, 307);
}

export const config = { matcher: ['/sell', '/my/:path*', '/account/:path*', '/orders/:path*'] };
