import type { Metadata } from 'next';
import Link from 'next/link';
import { ChangePasswordForm } from '@/components/ChangePasswordForm';
import { SignOutEverywhere } from '@/components/SignOutEverywhere';
import { requireMe } from '@/lib/requireMe';

export const metadata: Metadata = { title: 'Account' };

/** The signed-in user's settings: password, sessions, and the way to API keys. */
export default async function AccountPage() {
  const me = await requireMe('/account');
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Account</h1>
          <p className="muted">
            Signed in as <strong>{me.email}</strong>
          </p>
        </div>
      </div>
      <div className="stack account-settings">
        <ChangePasswordForm />
        <SignOutEverywhere />
        <section className="card" aria-labelledby="api-keys-title">
          <h2 id="api-keys-title">API keys</h2>
          <p className="muted">For integrators: call the marketplace's GraphQL API from your own code.</p>
          <Link href="/account/api-keys" className="button button-ghost">
            Manage API keys
          </Link>
        </section>
      </div>
    </>
  );
}
