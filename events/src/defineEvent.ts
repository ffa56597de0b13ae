import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * What travels on the wire: the same envelope for every event. Aggregate events carry the id and
 * version of the aggregate they describe, so consumers can apply them in order.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  /** Unique per event; also the JetStream Nats-Msg-Id, so a retried publish is stored once. */
  id: string;
  type: Type;
  /** Version of this event's payload shape; bumped on a breaking change of `data`. */
  schemaVersion: number;
  occurredAt: string;
  aggregateId: string;
  /** The aggregate's version after the change this event describes (1 for creation). */
  aggregateVersion: number;
  data: Data;
}

export interface CreateEventInput<Data> {
  aggregateId: string;
  aggregateVersion: number;
  data: Data;
  /** Defaults to a random UUID. */
  id?: string;
  occurredAt?: Date;
}

/**
 * `Data` is the payload as parsed; `DataIn` what `create` takes, which may leave out fields the
 * schema fills with a default (a field added to a version later, e.g. `currency`).
 */
export interface EventDefinition<Type extends string = string, Data = unknown, DataIn = Data> {
  type: Type;
  /** Subject under the stream's prefix, e.g. `tickets.updated`. */
  subject: string;
  schemaVersion: number;
  create(input: CreateEventInput<DataIn>): DomainEvent<Type, Data>;
  /** Validates an envelope received from the wire; throws a ZodError naming what is wrong. */
  parse(raw: unknown): DomainEvent<Type, Data>;
}

/** The event type a definition describes: `EventOf<typeof TicketCreated>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer Data, never> ? DomainEvent<T, Data> : never;

const envelope = z.object({
  id: z.string().min(1),
  type: z.string(),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().positive(),
});

export function defineEvent<Type extends string, Schema extends z.ZodType>(def: {
  type: Type;
  subject: string;
  schemaVersion: number;
  data: Schema;
}): EventDefinition<Type, z.infer<Schema>, z.input<Schema>> {
  const wire = envelope.extend({
    type: z.literal(def.type),
    schemaVersion: z.literal(def.schemaVersion),
    data: def.data,
  });
  return {
    type: def.type,
    subject: def.subject,
    schemaVersion: def.schemaVersion,
    create: ({ aggregateId, aggregateVersion, data, id = randomUUID(), occurredAt = new Date() }) =>
      wire.parse({
        id,
        type: def.type,
        schemaVersion: def.schemaVersion,
        occurredAt: occurredAt.toISOString(),
        aggregateId,
        aggregateVersion,
        data,
      }) as DomainEvent<Type, z.infer<Schema>>,
    parse: (raw) => wire.parse(raw) as DomainEvent<Type, z.infer<Schema>>,
  };
}
