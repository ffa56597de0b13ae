import 'reflect-metadata';
import { TicketStatus } from '@ticketing/events';
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

  @Field(() => Float, { description: 'In the currency unit, at most 2 decimals (stored as cents).' })
  price!: number;

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

@InputType()
export class CreateTicketInput {
  @Field({ description: 'Trimmed; 1 to 200 characters.' })
  title!: string;

  @Field(() => Float, { description: 'Greater than 0, at most 2 decimals, at most 1,000,000.' })
  price!: number;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateTicketInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Float, { nullable: true })
  price?: number | null;
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
