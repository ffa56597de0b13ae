import { createHash } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { isDuplicateKeyError } from '../mongo';
import { idempotencyKeyReused, serviceBusy } from './errors';

/** How long a key is remembered: a retry within it replays, the same key after it is a new request. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;

/**
 * One idempotency key as first used: which request it was (a hash per input field) and the id
 * that request gives what it creates. Written before that write, and the write is keyed by
 * `resultId`, so whichever attempt gets there (the first, a retry after a lost answer or a
 * crash, a concurrent twin) writes the same document once: a unique `_id` decides.
 */
export interface IdempotencyRecord {
  /** `<operation>:<base64url SHA-256 of scope and key>`: the scope (a user id, an email) is not kept in clear. */
  _id: string;
  operation: string;
  /** Field name → base64url SHA-256 of its JSON value; what a retry must match. */
  input: Record<string, string>;
  resultId: string;
  /** What a replay needs that its input does not carry (a password hash, an encrypted secret). */
  payload: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const recordSchema = new Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    operation: { type: String, required: true },
    input: { type: Schema.Types.Mixed, required: true },
    resultId: { type: String, required: true },
    payload: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// MongoDB deletes a record within about a minute of expiresAt. FerretDB v1 keeps the index but
// deletes nothing: claim treats an expired record as absent, and purgeExpired removes them.
recordSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** The `idempotency_keys` collection of a service's database (its index comes with ensureIndexes). */
export function registerIdempotencyRecords(connection: Connection): Model<IdempotencyRecord> {
  return connection.model<IdempotencyRecord>('IdempotencyKey', recordSchema, 'idempotency_keys');
}

/** One keyed call of a mutation. */
export interface IdempotentCall {
  /** The mutation, e.g. `createTicket`: a key is scoped to one. */
  operation: string;
  /** Whose key it is: the caller's user id (the email for signUp). */
  scope: string;
  key: string;
  /** The fields a retry must repeat exactly, by the names the client knows them by. */
  input: Record<string, unknown>;
  /** The id this call would give what it creates; a replay gets the first call's instead. */
  resultId: string;
  payload?: string;
}

export interface Claim {
  /** True when an earlier call took this key: finish or return what `resultId` names, never a second one. */
  replay: boolean;
  resultId: string;
  payload: string | null;
}

export interface IdempotencyKeysOptions {
  retentionMs?: number;
  /** Expired records are deleted at most this often by a claim (FerretDB has no TTL). Default 10 minutes. */
  purgeEveryMs?: number;
  now?: () => Date;
}

/**
 * Idempotency keys for mutations that create or charge, as Stripe's API has them: the first call
 * with a key claims it (a unique insert, so of concurrent calls exactly one is first); a later
 * call with the same key and input replays, one with other input is refused with
 * IDEMPOTENCY_KEY_REUSED naming the fields that differ.
 */
export class IdempotencyKeys {
  private readonly retentionMs: number;
  private readonly purgeEveryMs: number;
  private readonly now: () => Date;
  private lastPurge: number;

  constructor(
    private readonly records: Model<IdempotencyRecord>,
    options: IdempotencyKeysOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? IDEMPOTENCY_RETENTION_MS;
    this.purgeEveryMs = options.purgeEveryMs ?? 10 * 60_000;
    this.now = options.now ?? (() => new Date());
    this.lastPurge = this.now().getTime();
  }

  async claim(call: IdempotentCall): Promise<Claim> {
    const _id = `${call.operation}:${digest(`${call.scope}\n${call.key}`)}`;
    const input = Object.fromEntries(
      Object.entries(call.input).map(([k, v]) => [k, digest(JSON.stringify(v ?? null))]),
    );
    for (let tries = 0; tries < 3; tries++) {
      const now = this.now();
      try {
        await this.records.create({
          _id,
          operation: call.operation,
          input,
          resultId: call.resultId,
          payload: call.payload ?? null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.retentionMs),
        });
        this.purgeNowAndThen(now);
        return { replay: false, resultId: call.resultId, payload: call.payload ?? null };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const first = await this.records.findById(_id).lean<IdempotencyRecord>();
      if (!first) continue; // expired and deleted in between
      if (first.expiresAt.getTime() <= now.getTime()) {
        // Past its retention, not deleted yet: a new request. Only that record is deleted.
        await this.records.deleteOne({ _id, createdAt: first.createdAt });
        continue;
      }
      const differs = Object.keys({ ...input, ...first.input }).filter((k) => input[k] !== first.input[k]);
      if (differs.length) throw idempotencyKeyReused(differs);
      return { replay: true, resultId: first.resultId, payload: first.payload };
    }
    throw serviceBusy('The idempotency key is being replaced; try again shortly');
  }

  /** Deletes the records past their retention; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.records.deleteMany({ expiresAt: { $lte: this.now() } });
    return result.deletedCount;
  }

  private purgeNowAndThen(now: Date) {
    if (now.getTime() - this.lastPurge < this.purgeEveryMs) return;
    this.lastPurge = now.getTime();
    // Not on the request's time: a failure is retried at the next period.
    this.purgeExpired().catch(() => undefined);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
