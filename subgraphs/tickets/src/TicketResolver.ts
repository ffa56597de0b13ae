import { outboxFields, TicketCreated, type TicketStatus } from '@ticketing/events';
import { isDuplicateKeyError } from '@ticketing/kit';
import {
  badUserInput,
  claimOrReplay,
  conflict,
  type FieldProblem,
  forbidden,
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyOf,
  notFound,
  type SubgraphContext,
  unauthenticated,
} from '@ticketing/kit/graphql';
import { LEGACY_CURRENCY, storedCurrency } from '@ticketing/kit/money';
import { Types } from 'mongoose';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { type Cursor, decodeCursor, encodeCursor } from './cursor';
import { listedTicket, ticketOfListed } from './listedTicket';
import type { TicketDoc } from './models';
import { newTicket } from './newTicket';
import type { TicketsDeps } from './TicketsDeps';
import type { TicketChange } from './TicketWriter';
import { toTicket } from './toTicket';
import { CreateTicketInput, Ticket, TicketConnection, TicketsArgs, UpdateTicketInput } from './types';
import { checkPriceInput, checkTitle } from './validation';

export const PAGE_DEFAULT = 20;
export const PAGE_MAX = 100;

/** A well-formed id, or null (a malformed one can name no ticket). */
export const objectId = (id: string) =>
  Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;

/**
 * A ticket by id: from the listing in memory when it holds it (no database command; the listing
 * is current with this replica's writes at once and with the others' within their event's
 * delivery), else from the database (a ticket created on another replica a moment ago, or one
 * past the listing's bound).
 */
export async function findTicket(
  deps: Pick<TicketsDeps, 'listing' | 'models'>,
  id: string,
): Promise<Ticket | null> {
  const listed = deps.listing.get(id.toLowerCase());
  if (listed) return ticketOfListed(listed);
  const _id = objectId(id);
  const doc = _id && (await deps.models.Tickets.findById(_id, { outbox: 0 }).lean<TicketDoc>());
  return doc ? toTicket(doc) : null;
}

@Resolver(() => Ticket)
export class TicketResolver {
  constructor(private readonly deps: TicketsDeps) {}

  @Query(() => Ticket, { nullable: true, description: 'null when no ticket has this id.' })
  async ticket(@Arg('id', () => ID) id: string): Promise<Ticket | null> {
    return findTicket(this.deps, id);
  }

  @Query(() => TicketConnection, { description: 'Tickets, newest first; page on with `after: endCursor`.' })
  async tickets(@Args() { first, after, status }: TicketsArgs): Promise<TicketConnection> {
    const limit = first ?? PAGE_DEFAULT;
    const problems: FieldProblem[] = [];
    if (limit < 1 || limit > PAGE_MAX) problems.push({ field: 'first', message: `must be 1 to ${PAGE_MAX}` });
    const cursor = after ? decodeCursor(after) : null;
    if (after && !cursor) problems.push({ field: 'after', message: 'is not a cursor from this list' });
    if (problems.length) throw badUserInput(problems);
    // Withdrawn tickets are off the listings, whatever the filter.
    if (status === 'WITHDRAWN') return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

    const listed = this.deps.listing.page({
      first: limit,
      after: cursor && { createdAt: cursor.createdAt, id: cursor.id.toHexString() },
      status: status ?? null,
    });
    if (listed) {
      const edges = listed.tickets.map((t) => ({
        cursor: encodeCursor(t.createdAt, new Types.ObjectId(t.id)),
        node: ticketOfListed(t),
      }));
      return {
        edges,
        pageInfo: { hasNextPage: listed.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    }
    // Past the oldest ticket the read model keeps (see ListingIndex's bound): from the database.
    return this.pageFromDatabase(limit, cursor, status ?? null);
  }

  /** The same page by a query (indexed on MongoDB; FerretDB reads the whole collection for it). */
  private async pageFromDatabase(
    limit: number,
    cursor: Cursor | null,
    status: TicketStatus | null,
  ): Promise<TicketConnection> {
    // A withdrawn ticket is no longer listed.
    const filter: Record<string, unknown> = { status: status ?? { $ne: 'WITHDRAWN' } };
    if (cursor) {
      filter.$or = [
        { createdAt: { $lt: cursor.createdAt } },
        { createdAt: cursor.createdAt, _id: { $lt: cursor.id } },
      ];
    }
    const docs = await this.deps.models.Tickets.find(filter, { outbox: 0, closedOrderIds: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<TicketDoc[]>();
    const page = docs.slice(0, limit);
    const edges = page.map((doc) => ({ cursor: encodeCursor(doc.createdAt, doc._id), node: toTicket(doc) }));
    return {
      edges,
      pageInfo: { hasNextPage: docs.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Mutation(() => Ticket, { description: 'Lists a ticket for sale.' })
  async createTicket(
    @Arg('input') input: CreateTicketInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Ticket> {
    if (!ctx.identity) throw unauthenticated();
    const problems: FieldProblem[] = [];
    const title = checkTitle(input.title, problems);
    const price = checkPriceInput(input, true, problems);
    if (problems.length || !price) throw badUserInput(problems);
    const { minor: priceCents, currency } = price;
    const key = idempotencyKeyOf(ctx, idempotencyKey);
    const sellerId = ctx.identity.userId;
    const { Tickets } = this.deps.models;

    // A retry writes the first call's ticket (once: its _id is unique) or finds it written.
    const claim = await claimOrReplay(
      this.deps.idempotency,
      {
        operation: 'createTicket',
        scope: sellerId,
        key,
        // A USD price is recorded as before currencies, so a retry across the deploy still replays.
        input: { title, price: currency === LEGACY_CURRENCY ? priceCents : { priceCents, currency } },
        resultId: new Types.ObjectId().toHexString(),
      },
      async ({ resultId }) => {
        const first = await Tickets.findById(new Types.ObjectId(resultId), { outbox: 0 }).lean<TicketDoc>();
        return first && toTicket(first);
      },
    );
    if (claim.replayed) return claim.replayed;
    const _id = new Types.ObjectId(claim.resultId);
    const event = TicketCreated.create({
      aggregateId: _id.toHexString(),
      aggregateVersion: 1,
      data: { title, priceCents, currency, sellerId },
    });
    const doc: TicketDoc = {
      ...newTicket({ _id, title, priceCents, currency, sellerId }),
      ...outboxFields(event),
    };
    try {
      await Tickets.create(doc);
    } catch (err) {
      // A concurrent call with the same key wrote it first: its ticket is the answer.
      const first =
        key && isDuplicateKeyError(err) && (await Tickets.findById(_id, { outbox: 0 }).lean<TicketDoc>());
      if (first) return toTicket(first);
      throw err;
    }
    this.deps.listing.apply(listedTicket(doc));
    this.deps.kickOutbox();
    return toTicket(doc);
  }

  @Mutation(() => Ticket, {
    description: 'Changes title and/or price; only the seller, only while AVAILABLE.',
  })
  async updateTicket(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTicketInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Ticket> {
    const userId = ctx.identity?.userId;
    if (!userId) throw unauthenticated();
    const _id = objectId(id);
    if (!_id) throw notFound('Ticket');
    const problems: FieldProblem[] = [];
    const change: TicketChange = {};
    if (input.title !== undefined && input.title !== null) change.title = checkTitle(input.title, problems);
    const price = checkPriceInput(input, false, problems);
    if (price) Object.assign(change, { priceCents: price.minor, currency: price.currency });
    if (!problems.length && !Object.keys(change).length) {
      problems.push({ field: 'input', message: 'give a title or a price to change' });
    }

    const doc = await this.deps.writer.change(_id, (current) => {
      if (current.sellerId !== userId) return forbidden('Only the seller can edit this ticket');
      if (problems.length) return badUserInput(problems);
      if (current.status !== 'AVAILABLE') {
        return conflict(
          `The ticket is ${current.status.toLowerCase()}; it can be edited only while available`,
        );
      }
      const now = { ...current, currency: storedCurrency(current.currency) };
      const unchanged = (Object.keys(change) as Array<keyof TicketChange>).every((k) => change[k] === now[k]);
      return unchanged ? null : change;
    });
    if (!doc) throw notFound('Ticket');
    return toTicket(doc);
  }

  @Mutation(() => Ticket, {
    description:
      'Takes a listing off sale for good (status WITHDRAWN): only the seller, only while AVAILABLE. ' +
      'It leaves the listings, cannot be ordered, and watchers hear it through ticketChanged.',
  })
  async withdrawTicket(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Ticket> {
    const userId = ctx.identity?.userId;
    if (!userId) throw unauthenticated();
    const _id = objectId(id);
    if (!_id) throw notFound('Ticket');
    const doc = await this.deps.writer.change(_id, (current) => {
      if (current.sellerId !== userId) return forbidden('Only the seller can withdraw this ticket');
      // Withdrawing twice is the same withdrawal (a retried call gets the ticket as it ends).
      if (current.status === 'WITHDRAWN') return null;
      if (current.status !== 'AVAILABLE') {
        return conflict(
          `The ticket is ${current.status.toLowerCase()}; it can be withdrawn only while available`,
        );
      }
      return { status: 'WITHDRAWN', orderId: null, reservedUntil: null };
    });
    if (!doc) throw notFound('Ticket');
    return toTicket(doc);
  }
}
