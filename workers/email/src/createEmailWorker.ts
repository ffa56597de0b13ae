import { connectEvents, type EventOf, type EventsConnection, RetryLater } from '@ticketing/events';
import { connectMongo, createLogger, ensureIndexes, type Logger, Shutdown } from '@ticketing/kit';
import nodemailer from 'nodemailer';
import { type Mailed, mailedEvents, mailFor } from './mailFor';
import { type EmailModels, registerModels } from './models';
import { applyProjection, type Projected, projectedEvents } from './Projections';
import { SentMails } from './SentMails';
import type { EmailSettings } from './settings';

export interface EmailWorkerOptions {
  settings: EmailSettings;
  /** Database name; default `email`. */
  dbName?: string;
  /** Events connection options (tests pass their own stream). */
  events?: Parameters<typeof connectEvents>[0];
  logger?: Logger;
  /** An event whose handling failed (SMTP down) is delivered again after this long. Default 15 000 ms. */
  retryAfterMs?: number;
}

export interface EmailWorker {
  models: EmailModels;
  events: EventsConnection;
  shutdown: Shutdown;
  stop(): Promise<void>;
}

const consumed = [...projectedEvents, ...mailedEvents] as const;
const projectedTypes: ReadonlySet<string> = new Set(projectedEvents.map((d) => d.type));
const isProjected = (e: EventOf<(typeof consumed)[number]>): e is Projected => projectedTypes.has(e.type);

/**
 * Mail from the domain events, each published through its service's outbox: a receipt when an
 * order completes, a notice when a payment fails or is refunded, the password-reset link. One
 * durable consumer (replicas share it) keeps the worker's small projections of accounts, tickets
 * and orders in order with the mail events it reads; a mail waits (RetryLater) for what it needs
 * but has not seen yet. Each event sends at most one mail (SentMails); a send that fails (SMTP
 * down) is retried every `retryAfterMs`, up to 50 times, then the event is parked.
 */
export async function createEmailWorker(options: EmailWorkerOptions): Promise<EmailWorker> {
  const { settings } = options;
  const logger = options.logger ?? createLogger({ service: 'email' });
  const shutdown = new Shutdown({ logger });
  try {
    const connection = await connectMongo({ uri: settings.MONGO_URI, dbName: options.dbName ?? 'email' });
    shutdown.add('mongodb', () => connection.close());
    const models = registerModels(connection);
    await ensureIndexes(connection);
    const sentMails = new SentMails(models.SentMails);
    const transport = nodemailer.createTransport(
      { url: settings.SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
      { from: settings.MAIL_FROM },
    );
    shutdown.add('smtp', () => transport.close());
    const domain = /@([^>\s]+)/.exec(settings.MAIL_FROM)?.[1] ?? 'ticketing.dev';

    const send = async (event: Mailed) => {
      const age = Date.now() - Date.parse(event.occurredAt);
      if (age > settings.MAIL_MAX_EVENT_AGE_SECONDS * 1000) {
        logger.info({ event: event.id, type: event.type }, 'mail skipped: the event is too old');
        return;
      }
      const decision = await mailFor(models, settings, event);
      if ('skip' in decision) {
        logger.warn({ event: event.id, type: event.type, reason: decision.skip }, 'mail skipped');
        return;
      }
      const claim = await sentMails.claim(event.id, event.type);
      if (claim === 'sent') return;
      if (claim === 'busy') throw new RetryLater(`mail for ${event.id} is being sent by another worker`);
      try {
        await transport.sendMail({
          to: decision.to,
          subject: decision.content.subject,
          text: decision.content.text,
          html: decision.content.html,
          // The same for every copy of this event's mail (see SentMails).
          messageId: `<${event.id}@${domain}>`,
        });
      } catch (err) {
        await sentMails.giveBack(event.id);
        // The SMTP error only: nodemailer's error never carries the message, and so no token.
        throw new Error(`SMTP: ${err instanceof Error ? err.message : String(err)}`);
      }
      await sentMails.sent(event.id);
      logger.info({ event: event.id, type: event.type }, 'mail sent');
    };

    const events = await connectEvents({ url: settings.NATS_URL, name: 'email', logger, ...options.events });
    shutdown.add('events', () => events.close());
    await events.consume({
      durable: 'email',
      events: consumed,
      ackWaitMs: options.retryAfterMs ?? 15_000,
      maxDeliver: 50,
      handle: async (event) => {
        if (isProjected(event)) await applyProjection(models, event);
        else await send(event as Mailed);
      },
    });
    return { models, events, shutdown, stop: () => shutdown.run() };
  } catch (err) {
    await shutdown.run('failed to start');
    throw err;
  }
}
