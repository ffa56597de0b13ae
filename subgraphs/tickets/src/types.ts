import 'reflect-metadata';
import { TicketStatus } from '@ticketing/events';
import { Money, MoneyInput } from '@ticketing/kit/graphql';
import {
  ArgsType,
  Directive,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from 'type-graphql';

/** Why the Float prices go (they stay one deprecation cycle; docs/CHANGELOG.md). */
export const PRICE_DEPRECATION =
  'A float cannot hold every price exactly and names no currency. Use priceMoney: an exact decimal amount with its currencyCode.';
const PRICE_MONEY_INPUT =
  'The price: greater than 0, at most 1,000,000 of the currency, at most its number of decimals (USD: 2).';

// Registered from the catalogue's values, the one definition of a ticket's statuses.
const TicketStatusEnum = TicketStatus.enum;
registerEnumType(TicketStatusEnum, {
  name: 'TicketStatus',
  description:
    'AVAILABLE to buy; RESERVED while an order holds it; SOLD once paid; WITHDRAWN once its seller took it off sale.',
});

/** An account, owned by users; this subgraph contributes `tickets`. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A ticket listed for sale.' })
@Directive('@key(fields: "id")')
export class Ticket {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field(() => Float, {
    description: "The price as a float of its currency's major unit (priceMoney.currencyCode).",
    deprecationReason: PRICE_DEPRECATION,
  })
  price!: number;

  @Field(() => Money, { description: 'The price, exact, with its currency.' })
  priceMoney!: Money;

  @Field(() => User)
  seller!: User;

  // Shareable: orders provides both through Order.ticket, as the order leaves them.
  @Field(() => TicketStatusEnum)
  @Directive('@shareable')
  status!: TicketStatus;

  @Field(() => Date, { nullable: true, description: 'When the current reservation runs out.' })
  @Directive('@shareable')
  reservedUntil!: Date | null;

  @Field(() => Int, { description: 'Bumped on every change.' })
  version!: number;

  @Field()
  createdAt!: Date;
}

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class TicketEdge {
  @Field()
  cursor!: string;

  @Field(() => Ticket)
  node!: Ticket;
}

@ObjectType({ description: 'Tickets, newest first (Relay connection).' })
export class TicketConnection {
  @Field(() => [TicketEdge])
  edges!: TicketEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType({ description: 'Give the price as `priceMoney` (or, deprecated, `price`): exactly one of them.' })
export class CreateTicketInput {
  @Field({ description: 'Trimmed; 1 to 200 characters.' })
  title!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'In US dollars: greater than 0, at most 2 decimals, at most 1,000,000.',
    deprecationReason: PRICE_DEPRECATION,
  })
  price?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: PRICE_MONEY_INPUT })
  priceMoney?: MoneyInput | null;
}

@InputType({
  description:
    'Only the fields given change; a new price as `priceMoney` (or, deprecated, `price`), not both.',
})
export class UpdateTicketInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Float, { nullable: true, deprecationReason: PRICE_DEPRECATION })
  price?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: PRICE_MONEY_INPUT })
  priceMoney?: MoneyInput | null;
}

@ArgsType()
export class TicketsArgs {
  @Field(() => Int, { nullable: true, description: `How many; default 20, at most 100.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;

  @Field(() => TicketStatusEnum, { nullable: true, description: 'Only tickets with this status.' })
  status?: TicketStatus | null;
}
