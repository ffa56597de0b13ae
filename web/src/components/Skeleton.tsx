/** Placeholders in the shape of what is loading (no spinner, no "Loading…" flash over the page). */
export function SkeletonPage({ label, kind }: { label: string; kind: 'grid' | 'card' | 'list' | 'table' }) {
  const blocks = kind === 'grid' ? 6 : kind === 'card' ? 1 : 3;
  return (
    <div className="skeleton-page" role="status" aria-label={label} aria-busy="true">
      <div className="skeleton skeleton-title" />
      <div className={`skeleton-${kind}`}>
        {Array.from({ length: blocks }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
          <div key={i} className="skeleton skeleton-block" />
        ))}
      </div>
    </div>
  );
}
