import { type EventsConnection, followFromNow, UserUpdated } from '@ticketing/events';
import { type Logger, RecencyMap } from '@ticketing/kit';
import { type Model, Types } from 'mongoose';
import type { UserDoc } from './models';

/**
 * Default bound: about 150 bytes of heap an entry (a hex id, an email, a version), so about 15 MB
 * per replica at the bound; the least recently read go first.
 */
export const DIRECTORY_LIMIT = 100_000;

interface Entry {
  email: string;
  version: number;
}

/**
 * What other subgraphs ask of a user (the seller of each ticket on a page: twenty lookups a
 * page), from memory: read once by `_id`, then kept by this replica's own writes and by the other
 * replicas' UserUpdated events (an ephemeral consumer from "now on", started before the first
 * read, so no change falls between). Versions decide, so a late event never undoes a newer write.
 * Unknown ids are not remembered: a user signed up on another replica a moment ago is read.
 */
export class UserDirectory {
  private readonly entries: RecencyMap<string, Entry>;
  private loop: Promise<void> | undefined;
  private messages: { close(): Promise<unknown> } | undefined;

  constructor(
    private readonly users: Model<UserDoc>,
    private readonly options: { limit?: number; logger?: Logger } = {},
  ) {
    this.entries = new RecencyMap(options.limit ?? DIRECTORY_LIMIT);
  }

  async start(events: EventsConnection): Promise<this> {
    const messages = await followFromNow(events, UserUpdated.subject);
    this.messages = messages;
    this.loop = (async () => {
      for await (const m of messages) this.handle(m);
    })();
    return this;
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  /** The user's email, or null when no user has this id. */
  async email(id: string): Promise<string | null> {
    const key = id.toLowerCase();
    const held = this.entries.get(key);
    if (held) return held.email;
    if (!/^[0-9a-f]{24}$/.test(key)) return null;
    const doc = await this.users.findById(new Types.ObjectId(key), { email: 1, version: 1 }).lean();
    if (!doc) return null;
    this.remember(key, doc.email, doc.version);
    return this.entries.peek(key)?.email ?? doc.email;
  }

  /** A change this replica wrote (or read in an event): kept if newer than what is held. */
  remember(id: string, email: string, version: number): void {
    const key = id.toLowerCase();
    const held = this.entries.peek(key);
    if (held && held.version >= version) return;
    this.entries.set(key, { email, version });
  }

  private handle(message: { json(): unknown }): void {
    try {
      const event = UserUpdated.parse(message.json());
      const { email } = event.data;
      // Only users held: one not held is read when first asked for.
      if (email !== undefined && this.entries.peek(event.aggregateId.toLowerCase())) {
        this.remember(event.aggregateId, email, event.aggregateVersion);
      }
    } catch (err) {
      this.options.logger?.warn({ err }, 'user directory: an event could not be applied');
    }
  }
}
