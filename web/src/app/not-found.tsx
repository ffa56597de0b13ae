import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="empty">
      <h1>Not found</h1>
      <p className="muted">That page, ticket or order does not exist (or is not yours).</p>
      <Link className="button button-primary" href="/">
        Browse tickets
      </Link>
    </div>
  );
}
