import type { Problem } from '@/lib/errors';

/** The one place a form or page shows errors that belong to no single field. */
export function ErrorNotice({ problem, title }: { problem: Problem | null; title?: string }) {
  if (!problem) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {problem.message}
    </div>
  );
}
