import { createServer } from 'node:net';
import {
  ChargeFailed,
  ChargeRefunded,
  connectEvents,
  type DomainEvent,
  type EventsConnection,
  OrderCompleted,
  OrderCreated,
  PASSWORD_RESET_SEAL_PURPOSE,
  PasswordResetRequested,
  TicketCreated,
  UserCreated,
} from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { DEV_INTERNAL_JWT_KEY, sealText } from '@ticketing/kit/auth';
import { eventually, freePort, testDatabaseName } from '@ticketing/kit/testing';
import { createEmailWorker, type EmailWorker } from './createEmailWorker';
import { readEmailSettings } from './settings';
import { mailTo, waitForMail } from './testing';

// Issue 21, point 4: the email worker sends, from the domain events, a receipt (ticket, price
// with currency, order id, time), payment failure and refund notices and the password-reset
// link, in plain text and HTML, over real SMTP (Mailpit, read through its API); never twice for
// one event, and again once an SMTP server that was down answers.

const stream = testStream('email');
const dbName = testDatabaseName('email');
let worker: EmailWorker;
let events: EventsConnection;
const logged: string[] = [];
beforeAll(async () => {
  const settings = readEmailSettings({ ...process.env, WEB_URL: 'https://tickets.example' });
  worker = await createEmailWorker({ settings, dbName, events: { stream }, logger: capturingLogger() });
  events = await connectEvents({ url: settings.NATS_URL, stream });
});
afterAll(async () => {
  await worker.models.Users.db.dropDatabase();
  await worker.stop();
  await dropTestStreams(events);
  await events.close();
});

/** A pino-shaped logger keeping every line, to check that no secret is logged. */
function capturingLogger() {
  const keep =
    (level: string) =>
    (...args: unknown[]) =>
      logged.push(`${level} ${JSON.stringify(args)}`);
  const logger = {
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    debug: keep('debug'),
    trace: keep('trace'),
    fatal: keep('fatal'),
    child: () => logger,
    level: 'debug',
  };
  return logger as unknown as Parameters<typeof createEmailWorker>[0]['logger'];
}

const id = () => Math.random().toString(16).slice(2).padEnd(24, '0').slice(0, 24);
const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
const publish = (event: DomainEvent) => events.publisher.publish(event);

/**
 * A buyer with an order for a ticket, as users, tickets and orders announce them: with the price's
 * currency, or (`legacy`) without it, as events published before amounts carried one.
 */
async function purchase(title: string, priceCents: number, shape: 'current' | 'legacy' = 'current') {
  const currency = shape === 'current' ? { currency: 'USD' as const } : {};
  const [buyerId, ticketId, orderId] = [id(), id(), id()];
  const email = unique('buyer');
  await publish(UserCreated.create({ aggregateId: buyerId, aggregateVersion: 1, data: { email } }));
  await publish(
    TicketCreated.create({
      aggregateId: ticketId,
      aggregateVersion: 1,
      data: { title, priceCents, ...currency, sellerId: id() },
    }),
  );
  await publish(
    OrderCreated.create({
      aggregateId: orderId,
      aggregateVersion: 1,
      data: {
        ticketId,
        buyerId,
        priceCents,
        ...currency,
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      },
    }),
  );
  return { email, buyerId, ticketId, orderId };
}

test('a completed order mails its buyer a receipt: ticket, price with currency, order id and time, as text and HTML', async () => {
  const { email, orderId, ticketId, buyerId } = await purchase('Opera <Night> & friends', 2550);
  await receiptShows(email, orderId, ticketId, buyerId);
});

test('an order announced before amounts carried a currency still gets its receipt, in US dollars', async () => {
  const { email, orderId, ticketId, buyerId } = await purchase('Opera <Night> & friends', 2550, 'legacy');
  await receiptShows(email, orderId, ticketId, buyerId);
});

/** Completes the order and checks its receipt: $25.50 USD, the order, the time, in both forms. */
async function receiptShows(email: string, orderId: string, ticketId: string, buyerId: string) {
  const occurredAt = new Date('2030-06-01T19:30:00Z');
  const completed = OrderCompleted.create({
    aggregateId: orderId,
    aggregateVersion: 3,
    data: { ticketId, buyerId, paymentId: id() },
    occurredAt: new Date(),
  });
  await publish({ ...completed, occurredAt: occurredAt.toISOString() });
  // Too old for mail (MAIL_MAX_EVENT_AGE_SECONDS)? No: the event is "from the future" here only to pin the time shown.
  const [mail] = await waitForMail(email, /receipt/i);
  expect(mail?.Subject).toBe('Your receipt: Opera <Night> & friends');
  expect(mail?.From.Address).toBe('no-reply@ticketing.dev');
  for (const body of [mail?.Text ?? '', mail?.HTML ?? '']) {
    expect(body).toContain('$25.50 USD');
    expect(body).toContain(orderId);
    expect(body).toContain('Sat, 01 Jun 2030 19:30:00 UTC');
  }
  expect(mail?.Text).toContain('Ticket: Opera <Night> & friends');
  expect(mail?.HTML).toContain('Opera &lt;Night&gt; &amp; friends');
  expect(mail?.HTML).toContain(`href="https://tickets.example/orders/${orderId}"`);
  expect(mail?.MessageID).toBe(`${completed.id}@ticketing.dev`);
}

test('a declined payment and a refund each mail a notice to the buyer', async () => {
  const { email, orderId } = await purchase('Jazz trio', 4000);
  await publish(
    ChargeFailed.create({
      aggregateId: id(),
      aggregateVersion: 2,
      data: { orderId, reason: 'Your card was declined.', attempts: 1, final: false },
    }),
  );
  const [declined] = await waitForMail(email, /Payment failed/);
  expect(declined?.Text).toContain('Reason: Your card was declined.');
  expect(declined?.Text).toContain('still held for you');
  expect(declined?.HTML).toContain(orderId);

  await publish(
    ChargeRefunded.create({
      aggregateId: id(),
      aggregateVersion: 3,
      data: { orderId, amountCents: 4000, currency: 'USD', stripeId: 'ch_1', stripeRefundId: 're_1' },
    }),
  );
  const [refund] = await waitForMail(email, /Refund/);
  expect(refund?.Text).toContain('Refunded: $40.00 USD');
  expect(refund?.HTML).toContain('$40.00 USD');
});

test('the password-reset mail carries the link with the token it opened; the token is in no log line', async () => {
  const userId = id();
  const email = unique('reset');
  const token = `${userId}.${'x'.repeat(43)}`;
  const expiresAt = new Date(Date.now() + 1800_000).toISOString();
  await publish(
    PasswordResetRequested.create({
      aggregateId: userId,
      aggregateVersion: 1,
      data: {
        email,
        sealedToken: sealText(DEV_INTERNAL_JWT_KEY, PASSWORD_RESET_SEAL_PURPOSE, userId, token),
        expiresAt,
      },
    }),
  );
  const [mail] = await waitForMail(email, /Reset your password/);
  const link = `https://tickets.example/reset-password?token=${encodeURIComponent(token)}`;
  expect(mail?.Text).toContain(link);
  expect(mail?.HTML).toContain(`href="${link}"`);
  await eventually(() => logged.some((l) => l.includes('mail sent')));
  expect(logged.filter((l) => l.includes(token.split('.')[1] ?? '-'))).toEqual([]);
});

test('an event delivered twice sends one mail', async () => {
  const { email, orderId, ticketId, buyerId } = await purchase('Twice told', 1000);
  const completed = OrderCompleted.create({
    aggregateId: orderId,
    aggregateVersion: 3,
    data: { ticketId, buyerId, paymentId: id() },
  });
  // Stored twice (no message id: as a relay retrying past the stream's duplicate window would).
  const subject = `${stream.subjectPrefix}.${OrderCompleted.subject}`;
  await events.js.publish(subject, JSON.stringify(completed));
  await events.js.publish(subject, JSON.stringify(completed));
  await waitForMail(email, /receipt/i);
  await eventually(
    async () => (await worker.models.SentMails.findById(completed.id).lean())?.state === 'sent',
  );
  // A later mail to the same buyer proves the second copy was handled (one consumer, in order).
  await publish(
    ChargeRefunded.create({
      aggregateId: id(),
      aggregateVersion: 3,
      data: { orderId, amountCents: 1000, stripeId: 'ch_2', stripeRefundId: 're_2' },
    }),
  );
  await waitForMail(email, /Refund/);
  expect((await mailTo(email)).filter((m) => /receipt/i.test(m.Subject))).toHaveLength(1);
});

test('while SMTP is down the mail waits, and it is sent once the server answers', async () => {
  const port = await freePort();
  const downStream = testStream('email_down');
  const down = await createEmailWorker({
    settings: readEmailSettings({ ...process.env, SMTP_URL: `smtp://127.0.0.1:${port}` }),
    dbName: testDatabaseName('email_down'),
    events: { stream: downStream },
    retryAfterMs: 500,
  });
  const relay = await connectEvents({
    url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    stream: downStream,
  });
  try {
    const userId = id();
    const email = unique('later');
    const sealedToken = sealText(
      DEV_INTERNAL_JWT_KEY,
      PASSWORD_RESET_SEAL_PURPOSE,
      userId,
      `${userId}.${'y'.repeat(43)}`,
    );
    const expiresAt = new Date(Date.now() + 1800_000).toISOString();
    const requested = PasswordResetRequested.create({
      aggregateId: userId,
      aggregateVersion: 1,
      data: { email, sealedToken, expiresAt },
    });
    await relay.publisher.publish(requested);
    await new Promise((r) => setTimeout(r, 2_000));
    // Not sent: no record, or a claim still "sending" (an attempt in flight or released late on a busy machine).
    const held = await down.models.SentMails.findById(requested.id).lean();
    expect(held?.state).not.toBe('sent');
    // Mailpit's SMTP port behind a forwarder on the port the worker was given.
    const forwarder = await forward(port, new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025'));
    try {
      const mails = await waitForMail(email, /Reset your password/);
      expect(mails).toHaveLength(1);
    } finally {
      forwarder.close();
    }
  } finally {
    await down.models.Users.db.dropDatabase();
    await down.stop();
    await dropTestStreams(relay);
    await relay.close();
  }
});

/** A TCP forwarder from `port` to `target` (an SMTP server that starts answering there). */
async function forward(port: number, target: URL) {
  const { connect } = await import('node:net');
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
