'use client';
import { usePathname } from 'next/navigation';
import { BANNED_NOTICE } from '@/lib/signInNotice';

/**
 * Under the header when the visitor's session ended because the account is banned (the header
 * learns it from the gateway). The sign-in page says it in its own form, so not twice there.
 */
export function BannedNotice() {
  const pathname = usePathname();
  if (pathname === '/signin') return null;
  return (
    <div className="container">
      <p className="notice notice-error" role="alert" data-testid="banned-notice">
        {BANNED_NOTICE.text}
      </p>
    </div>
  );
}
