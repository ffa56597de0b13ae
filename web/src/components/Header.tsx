import Link from 'next/link';
import { serverQuery } from '@/lib/serverQuery';
import { sessionBanned } from '@/lib/sessionEnded';
import { MeQuery } from '@/operations/users';
import { BannedNotice } from './BannedNotice';
import { SignOutButton } from './SignOutButton';

/** Rendered on the server with the visitor's session, so the signed-in state is in the HTML. */
export async function Header() {
  const { data } = await serverQuery(MeQuery);
  const me = data?.me ?? null;
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Ticketing
        </Link>
        <nav aria-label="Main" className="nav">
          <Link href="/">Tickets</Link>
          {me ? (
            <>
              <Link href="/sell">Sell</Link>
              <Link href="/my/listings">My listings</Link>
              <Link href="/my/orders">My orders</Link>
              {/* Password, devices and API keys: the account page leads to each. */}
              <Link href="/account">Account</Link>
            </>
          ) : null}
        </nav>
        <div className="account">
          {me ? (
            <>
              <span className="account-email" data-testid="signed-in-as">
                {me.email}
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin" className="button button-ghost">
                Sign in
              </Link>
              <Link href="/signup" className="button button-primary">
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
      {!me && (await sessionBanned()) ? <BannedNotice /> : null}
    </header>
  );
}
