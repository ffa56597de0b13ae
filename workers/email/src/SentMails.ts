import { isDuplicateKeyError } from '@ticketing/kit';
import type { Model } from 'mongoose';
import type { SentMail } from './models';

export type Claim = 'claimed' | 'sent' | 'busy';

/**
 * "Never twice for one event": before sending, a worker claims the event's id (a document keyed by
 * it, so one claim wins); after the SMTP server accepted the message, it is marked sent, and any
 * later delivery of that event sends nothing. A failed send gives the claim back (the event is
 * retried). A claim whose holder died is taken over once its lease ends: the only case where a
 * second copy can leave (the holder died after the server accepted the message and before the
 * mark), and it carries the same Message-ID, which mailboxes treat as the same message.
 */
export class SentMails {
  constructor(
    private readonly model: Model<SentMail>,
    private readonly leaseMs = 60_000,
  ) {}

  async claim(eventId: string, type: string): Promise<Claim> {
    const now = Date.now();
    try {
      await this.model.create({
        _id: eventId,
        state: 'sending',
        type,
        leaseUntil: new Date(now + this.leaseMs),
      });
      return 'claimed';
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const held = await this.model.findById(eventId).lean();
    if (!held) return this.claim(eventId, type); // given back just now
    if (held.state === 'sent') return 'sent';
    if (held.leaseUntil.getTime() > now) return 'busy';
    const taken = await this.model.updateOne(
      { _id: eventId, state: 'sending', leaseUntil: held.leaseUntil },
      { $set: { leaseUntil: new Date(now + this.leaseMs) } },
    );
    return taken.modifiedCount === 1 ? 'claimed' : 'busy';
  }

  async sent(eventId: string): Promise<void> {
    await this.model.updateOne({ _id: eventId }, { $set: { state: 'sent', sentAt: new Date() } });
  }

  async giveBack(eventId: string): Promise<void> {
    await this.model.deleteOne({ _id: eventId, state: 'sending' });
  }
}
