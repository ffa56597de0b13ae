import { isDuplicateKeyError } from '@ticketing/kit';
import type { Model } from 'mongoose';
import type { ClaimDoc } from './models';

export interface ClaimResult {
  /** This caller inserted the claim. */
  won: boolean;
  /** The claim's value, whoever holds it. */
  value: string;
  done: boolean;
}

/** Decisions by unique-index insert (see ClaimDoc): of any number of concurrent claimants, one wins. */
export class Claims {
  constructor(private readonly model: Model<ClaimDoc>) {}

  async claim(kind: ClaimDoc['kind'], key: string, value: string, paymentId: string): Promise<ClaimResult> {
    const _id = `${kind}:${key}`;
    try {
      await this.model.create({ _id, kind, value, paymentId, done: kind === 'paid', at: new Date() });
      return { won: true, value, done: kind === 'paid' };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.model.findById(_id).lean();
      if (!existing) throw new Error(`claim ${_id} vanished`);
      return { won: false, value: existing.value, done: existing.done };
    }
  }

  /** The holder finished what the claim was for. */
  async finish(kind: ClaimDoc['kind'], key: string): Promise<void> {
    await this.model.updateOne({ _id: `${kind}:${key}` }, { $set: { done: true } });
  }

  /** Claims left unfinished since before `cutoff`: their holder probably died. */
  async stale(cutoff: Date): Promise<ClaimDoc[]> {
    // By equality, the age checked here: unfinished claims are the few in flight, and FerretDB
    // serves an equality from an index where a range reads the whole collection.
    const open = await this.model.find({ done: false }).lean<ClaimDoc[]>();
    return open.filter((claim) => claim.at < cutoff);
  }
}
