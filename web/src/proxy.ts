import { type NextRequest, NextResponse } from 'next/server';
import { SESSION_COOKIE } from './lib/sessionCookie';

/**
 * Protected pages send a visitor without a session to sign in with a real redirect (307 and a
 * Location), before any HTML streams. A session that turns out to be dead is caught by the page
 * itself (requireMe), which can then only redirect within the streamed page.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const signIn = new URL('/signin', request.url);
  signIn.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(signIn, 307);
}

export const config = { matcher: ['/sell', '/my/:path*', '/account/:path*', '/orders/:path*'] };
