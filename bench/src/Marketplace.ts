// The marketplace bench/scale grows and measures, seeded only through the gateway's public mutations
// (signUp, createTicket, createOrder, payOrder on stripe-mock, cancelOrder), as users would.
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  type GraphQLReply,
  gql,
  readTicket,
  signUp,
  type TicketView,
} from '@ticketing/e2e';
import { pool } from './stats';

/** Requests in flight while seeding. */
const SEED_CONCURRENCY = 16;

/** The proportions, printed with the results. */
export const PROPORTIONS =
  'one seller per 10 tickets, one buyer per 5 (at least 200); a fifth of the seeded tickets ordered, ' +
  'of those orders half paid (pm_card_visa), a quarter cancelled, a quarter left awaiting payment';
const SELLERS_PER_TICKET = 1 / 10;
const BUYERS_PER_TICKET = 1 / 5;
const MIN_BUYERS = 200;
const ORDERED_SHARE = 1 / 5;
/** How long one service may lag behind another's events while seeding, on a busy machine. */
const CATCH_UP_MS = 300_000;

const PAY = `mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { id status } }`;

type Outcome = 'paid' | 'cancelled' | 'awaiting';
/** How tickets shows each outcome once applied: listed at version 1, locked 2, sold or released 3. */
const SETTLED: Record<Outcome, (t: TicketView) => boolean> = {
  paid: (t) => t.status === 'SOLD',
  cancelled: (t) => t.status === 'AVAILABLE' && t.version >= 3,
  awaiting: (t) => t.status === 'RESERVED',
};

export interface OrderCounts {
  paid: number;
  cancelled: number;
  awaiting: number;
}

export class Marketplace {
  readonly sellers: Account[] = [];
  readonly buyers: Account[] = [];
  /** Every ticket listed, in the order they were listed. */
  readonly ticketIds: string[] = [];
  private readonly sellerOf = new Map<string, Account>();
  /** Buyers with at least one order, for "a buyer's orders". */
  readonly buyersWithOrders = new Set<Account>();
  /** Orders seeded by outcome; the measurements' own orders are counted apart. */
  readonly seeded: OrderCounts = { paid: 0, cancelled: 0, awaiting: 0 };
  measurementOrders = 0;
  /** Seeding requests made again after SERVICE_BUSY (a listing may then exist twice). */
  busyRetries = 0;

  constructor(readonly url: string) {}

  /**
   * Grows to `size` tickets: users in proportion, then the tickets, then orders on a fifth of the
   * new tickets except the last `fresh` listed, which stay AVAILABLE and known to orders for the
   * measurements to order. Returns those fresh ticket ids.
   */
  async grow(size: number, fresh: number): Promise<{ fresh: string[]; phases: string }> {
    const newCount = size - this.ticketIds.length;
    if (newCount < fresh) throw new Error(`cannot grow to ${size} tickets with ${fresh} left fresh`);
    const phases = new Phases();
    await this.signUpUntil(this.sellers, Math.ceil(size * SELLERS_PER_TICKET), 'seller');
    await this.signUpUntil(this.buyers, Math.max(MIN_BUYERS, Math.ceil(size * BUYERS_PER_TICKET)), 'buyer');
    phases.end('sign-ups');

    const listed: string[] = [];
    await pool(range(newCount), SEED_CONCURRENCY, async (i) => {
      const seller = this.sellers[i % this.sellers.length] as Account;
      const title = `Seeded ${this.ticketIds.length + i}`;
      const ticket = await this.unlessBusy(() => createTicket(this.url, seller, title, 10 + (i % 190)));
      listed.push(ticket.id);
      this.sellerOf.set(ticket.id, seller);
    });
    this.ticketIds.push(...listed);
    phases.end('listings');
    // Orders learns of tickets from events, behind the listings; its backlog is part of seeding.
    // The newest first: services apply events in order, so then the rest pass at the first try
    // (polling them all at once would take the CPU the backlog needs).
    await this.orderable(listed.at(-1) as string);
    await pool(listed, SEED_CONCURRENCY, (id) => this.orderable(id));
    phases.end('orders catching up with the listings');

    const older = listed.slice(0, newCount - fresh);
    const ordered = shuffle(older).slice(0, Math.round(older.length * ORDERED_SHARE));
    const outcomes = ordered.map((id, i) => ({ id, outcome: outcomeOf(i) }));
    await pool(outcomes, SEED_CONCURRENCY, (o) => this.order(o.id, o.outcome));
    phases.end('orders, payments, cancellations');
    // Every seeded order's effect has reached tickets (events applied), so the figures measure a
    // settled marketplace rather than one still working through its backlog.
    const lastOrdered = outcomes.at(-1);
    if (lastOrdered) await this.settled(lastOrdered.id, SETTLED[lastOrdered.outcome]);
    await pool(outcomes, SEED_CONCURRENCY, (o) => this.settled(o.id, SETTLED[o.outcome]));
    phases.end('tickets catching up with the orders');
    return { fresh: listed.slice(newCount - fresh), phases: phases.toString() };
  }

  /** A buyer for the i-th measured order (never the seller: sellers and buyers are apart). */
  buyer(i: number): Account {
    return this.buyers[i % this.buyers.length] as Account;
  }

  private async signUpUntil(accounts: Account[], count: number, name: string) {
    await pool(range(Math.max(0, count - accounts.length)), SEED_CONCURRENCY, async () => {
      accounts.push(await this.unlessBusy(() => signUp(this.url, `scale-${name}`)));
    });
  }

  /** Orders knows the ticket: asked by its seller, createOrder says FORBIDDEN and locks nothing. */
  private async orderable(ticketId: string) {
    const seller = this.sellerOf.get(ticketId) as Account;
    await waitFor(
      async () =>
        codeOf(await this.unlessBusy(() => createOrder(this.url, seller, ticketId))) === 'FORBIDDEN',
      CATCH_UP_MS,
    );
  }

  private async order(ticketId: string, outcome: Outcome) {
    const buyer = this.buyers[Math.floor(Math.random() * this.buyers.length)] as Account;
    // NOT_FOUND until orders has heard of the ticket (its projection is fed by events): try again.
    const order = await waitFor(async () => {
      const r = await this.unlessBusy(() => createOrder(this.url, buyer, ticketId));
      if (r.data?.createOrder) return r.data.createOrder;
      if (codeOf(r) !== 'NOT_FOUND') throw new Error(JSON.stringify(r.errors));
      return undefined;
    }, CATCH_UP_MS);
    this.buyersWithOrders.add(buyer);
    this.seeded[outcome]++;
    if (outcome === 'paid') await this.payOnceKnown(order.id, buyer);
    if (outcome === 'cancelled') {
      const r = await this.unlessBusy(() => cancelOrder(this.url, buyer, order.id));
      if (r.errors?.length) throw new Error(`cancel order ${order.id}: ${JSON.stringify(r.errors)}`);
    }
  }

  /**
   * payOrder, again while it says NOT_FOUND: payments learns of orders from events and waits only
   * two seconds for one; behind a backlog of seeded orders it answers NOT_FOUND.
   */
  async payOnceKnown(orderId: string, buyer: Account) {
    await waitFor(async () => {
      const r = await this.unlessBusy(() => gql(this.url, PAY, { id: orderId }, { cookie: buyer.cookie }));
      if (!r.errors?.length) return true;
      if (codeOf(r) !== 'NOT_FOUND') throw new Error(`pay order ${orderId}: ${JSON.stringify(r.errors)}`);
      return undefined;
    }, CATCH_UP_MS);
  }

  private async settled(ticketId: string, applied: (t: TicketView) => boolean) {
    await waitFor(async () => {
      const ticket = await readTicket(this.url, ticketId);
      return ticket !== null && applied(ticket);
    }, CATCH_UP_MS);
  }

  /**
   * Again a second later while the gateway answers SERVICE_BUSY (its deadline passed on a busy
   * machine), as its message asks: seeding is not measured, and it must get there.
   */
  private async unlessBusy<T>(attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await attempt();
        if (codeOf(result) !== 'SERVICE_BUSY') return result;
      } catch (err) {
        if (!String(err).includes('SERVICE_BUSY')) throw err;
      }
      this.busyRetries++;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

/** The first error code of a GraphQL reply, if the value is one. */
function codeOf(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null || !('errors' in reply)) return undefined;
  const { errors } = reply as GraphQLReply;
  return errors?.[0]?.extensions?.code;
}

/** Half paid, a quarter cancelled, a quarter awaiting payment, interleaved. */
const OUTCOMES: readonly Outcome[] = ['paid', 'cancelled', 'paid', 'awaiting'];
const outcomeOf = (i: number): Outcome => OUTCOMES[i % OUTCOMES.length] as Outcome;

/** Polls `check` until it returns a value, every quarter second: gentler on a backlog than tests' eventually. */
async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not caught up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Seconds per seeding phase. */
class Phases {
  private readonly done: string[] = [];
  private last = performance.now();
  end(name: string) {
    const now = performance.now();
    this.done.push(`${name} ${((now - this.last) / 1000).toFixed(1)} s`);
    this.last = now;
  }
  toString() {
    return this.done.join(', ');
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
