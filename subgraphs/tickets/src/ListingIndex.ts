import type { TicketStatus } from '@ticketing/events';
import type { CurrencyCode } from '@ticketing/kit/money';

/** What the listing shows of a ticket, and its place in it (createdAt, then id, both descending). */
export interface ListedTicket {
  /** Lower-case hex, so string order is ObjectId order. */
  id: string;
  createdAt: Date;
  title: string;
  priceCents: number;
  currency: CurrencyCode;
  sellerId: string;
  status: TicketStatus;
  reservedUntil: Date | null;
  version: number;
}

export interface ListingQuery {
  first: number;
  after: { createdAt: Date; id: string } | null;
  status: TicketStatus | null;
}

/**
 * Default bound. Measured at about 700 bytes of heap per ticket (40-character title, hex ids, a
 * Date; node --expose-gc, heapUsed before and after 100,000 inserts), so at most about 70 MB per
 * replica. At that size a page of a rare status walks every entry in about 5 ms, an insert in the
 * middle takes about 1 ms.
 */
export const LISTING_LIMIT = 100_000;

/** Newer first: negative when `a` comes before `b` in the listing. */
function compare(a: { at: number; id: string }, b: { at: number; id: string }): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const keyOf = (t: { createdAt: Date; id: string }) => ({ at: t.createdAt.getTime(), id: t.id });

/**
 * The listing `tickets(first, after, status)` as a read model in memory: every ticket in listing
 * order, kept by this replica's own writes and by the tickets' events of other replicas, so a page
 * is a binary search to the cursor and a walk, never a database query. FerretDB reads the whole
 * collection for any sort with a limit (issue 13); MongoDB would not, but the index works on both.
 *
 * Memory is bounded by `limit`: beyond it the oldest tickets are dropped and the index only answers
 * pages that end before its oldest ticket (`page` returns null for the others, which the caller
 * serves from the database).
 */
export class ListingIndex {
  /** Newest first. */
  private readonly entries: ListedTicket[] = [];
  private readonly byId = new Map<string, ListedTicket>();
  /** False once a ticket was dropped for the bound: older tickets may be missing. */
  private complete = true;

  constructor(private readonly limit = LISTING_LIMIT) {}

  /** Listed tickets (withdrawn ones are not). */
  get size(): number {
    return this.entries.length;
  }

  /** Replaces the contents with these tickets (any order), keeping the newest `limit`. */
  load(tickets: ListedTicket[]): void {
    this.entries.length = 0;
    this.byId.clear();
    this.complete = true;
    const sorted = [...tickets].sort((a, b) => compare(keyOf(a), keyOf(b)));
    // Oldest last, so each insert is at the end.
    for (const ticket of sorted) this.apply(ticket);
  }

  /** The ticket as held, if it is. */
  get(id: string): ListedTicket | undefined {
    return this.byId.get(id);
  }

  /** The version held for a ticket, 0 when none. */
  versionOf(id: string): number {
    return this.byId.get(id)?.version ?? 0;
  }

  /**
   * Takes a ticket as it is at `version`; an older or equal version than the one held is ignored,
   * so writes and events may arrive in any order and more than once.
   */
  apply(ticket: ListedTicket): void {
    const held = this.byId.get(ticket.id);
    if (held && held.version >= ticket.version) return;
    if (held && held.status !== 'WITHDRAWN') this.entries.splice(this.position(keyOf(held)), 1);
    if (ticket.status === 'WITHDRAWN') {
      // Off the listing for good; kept by id only, so an older event cannot list it again.
      this.byId.set(ticket.id, ticket);
      return;
    }
    const at = this.position(keyOf(ticket));
    if (!this.complete && at === this.entries.length) {
      // Older than every ticket kept: it belongs to the part of the listing no longer in memory.
      this.byId.delete(ticket.id);
      return;
    }
    this.entries.splice(at, 0, ticket);
    this.byId.set(ticket.id, ticket);
    while (this.entries.length > this.limit) {
      const dropped = this.entries.pop();
      if (dropped) this.byId.delete(dropped.id);
      this.complete = false;
    }
  }

  /**
   * The page after `after` (or the first) of tickets matching `status`, and whether more follow;
   * null when the page reaches past the oldest ticket kept in memory.
   */
  page({ first, after, status }: ListingQuery): { tickets: ListedTicket[]; hasNextPage: boolean } | null {
    const tickets: ListedTicket[] = [];
    // The first entry strictly after the cursor (the cursor's own ticket is on the previous page).
    let i = after ? this.position(keyOf(after), true) : 0;
    for (; i < this.entries.length && tickets.length <= first; i++) {
      const ticket = this.entries[i] as ListedTicket;
      if (!status || ticket.status === status) tickets.push(ticket);
    }
    if (tickets.length <= first && !this.complete) return null;
    return { tickets: tickets.slice(0, first), hasNextPage: tickets.length > first };
  }

  /** Where `key` is or would go: the first entry not before it (with `past`, the first after it). */
  private position(key: { at: number; id: string }, past = false): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const c = compare(keyOf(this.entries[mid] as ListedTicket), key);
      if (c < 0 || (past && c === 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
