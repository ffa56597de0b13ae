import Link from 'next/link';
import type { Problem } from '@/lib/errors';
import { RetryButton } from './RetryButton';

interface Props {
  problem: Problem | null;
  title?: string;
  /** Offer to load the page again (for a problem that may pass: the network, a busy service). */
  retry?: boolean;
  /** Ways onward, e.g. back to the ticket or to the listings. */
  links?: Array<{ href: string; label: string }>;
}

/** The one place a form or page shows errors that belong to no single field, with a way onward. */
export function ErrorNotice({ problem, title, retry, links }: Props) {
  if (!problem) return null;
  const onward = retry || (links && links.length > 0);
  return (
    <div className="notice notice-error" role="alert" tabIndex={-1}>
      <p className="notice-text">
        {title ? <strong>{title} </strong> : null}
        {problem.message}
      </p>
      {onward ? (
        <div className="notice-actions">
          {retry ? <RetryButton /> : null}
          {links?.map((l) => (
            <Link key={l.href} className="button button-ghost" href={l.href}>
              {l.label}
            </Link>
          ))}
        </div>
      ) : null}
    </div>
  );
}
