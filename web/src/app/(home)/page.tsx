import Link from 'next/link';
import { ErrorNotice } from '@/components/ErrorNotice';
import { TicketList } from '@/components/TicketList';
import type { TicketsQueryVariables } from '@/gql/graphql';
import { holdSentence } from '@/lib/hold';
import { serverQuery } from '@/lib/serverQuery';
import { TicketsQuery } from '@/operations/tickets';
import { MeQuery } from '@/operations/users';

const PAGE_SIZE = 12;

type Search = { after?: string; available?: string };

const href = (s: Search) => {
  const q = new URLSearchParams(Object.entries(s).filter((e): e is [string, string] => Boolean(e[1])));
  return q.size ? `/?${q}` : '/';
};

/** Listings: server-rendered first page, live badges, cursor pagination, an available-only filter. */
export default async function ListingsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { after, available } = await searchParams;
  const onlyAvailable = available === '1';
  const variables: TicketsQueryVariables = {
    first: PAGE_SIZE,
    ...(after ? { after } : {}),
    ...(onlyAvailable ? { status: 'AVAILABLE' } : {}),
  };
  const [tickets, me] = await Promise.all([serverQuery(TicketsQuery, variables), serverQuery(MeQuery)]);
  const page = tickets.data?.tickets;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Tickets</h1>
          <p className="muted">{await holdSentence()}</p>
        </div>
        <nav className="filters" aria-label="Filter">
          <Link
            href={href({})}
            className={`chip${onlyAvailable ? '' : ' chip-on'}`}
            aria-current={!onlyAvailable}
          >
            All
          </Link>
          <Link
            href={href({ available: '1' })}
            className={`chip${onlyAvailable ? ' chip-on' : ''}`}
            aria-current={onlyAvailable}
          >
            Available only
          </Link>
        </nav>
      </div>
      <ErrorNotice problem={tickets.problem} title="Tickets could not be loaded." retry />
      {page ? (
        <TicketList
          key={JSON.stringify(variables)}
          initial={page.edges.map((e) => e.node)}
          variables={variables}
          meId={me.data?.me?.id ?? null}
          firstPage={!after}
        />
      ) : null}
      <nav className="pager" aria-label="Pages">
        {after ? (
          <Link className="button button-ghost" href={href({ available })}>
            ← First page
          </Link>
        ) : null}
        {page?.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
          <Link className="button button-ghost" href={href({ available, after: page.pageInfo.endCursor })}>
            Next page →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
