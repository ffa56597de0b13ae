import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo, ensureIndexes } from '@ticketing/kit';
import { testDatabaseName } from '@ticketing/kit/testing';
import { type Connection, type Model, Schema } from 'mongoose';
import { TicketCreated } from './catalogue';
import { connectEvents, type EventsConnection } from './connectEvents';
import type { DomainEvent } from './defineEvent';
import { OutboxRelay } from './OutboxRelay';
import { outboxFields, outboxPlugin, type WithOutbox } from './outbox';
import { dropTestStreams, eventually, testStream } from './testing';

// The relay while NATS is down: a private nats-server (never the shared one) is killed and
// restarted on the same port and store, as a crashed and restarted NATS would be.
interface Ticket extends WithOutbox {
  _id: string;
  title: string;
}

let db: Connection;
let Tickets: Model<Ticket>;
let storeDir: string;
let port: number;
let nats: ChildProcess | undefined;
let events: EventsConnection;
let relay: OutboxRelay | undefined;
/** Publishes that failed, counted at the boundary the relay calls. */
let failures = 0;

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts nats-server and resolves once it accepts clients. */
async function startNats(): Promise<void> {
  const child = spawn(
    '/usr/sbin/nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  nats = child;
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
}

async function killNats(): Promise<void> {
  const child = nats;
  nats = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'outbox-nats-'));
  port = await freePort();
  await startNats();
  events = await connectEvents({ url: `nats://127.0.0.1:${port}`, stream: testStream('outage') });
  db = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017',
    dbName: testDatabaseName('outbox_outage'),
  });
  const schema = new Schema<Ticket>({ _id: String, title: String });
  schema.plugin(outboxPlugin);
  Tickets = db.model<Ticket>('Ticket', schema);
  await ensureIndexes(db);
});
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  if (!nats) await startNats();
});
afterAll(async () => {
  await dropTestStreams(events);
  await events.close();
  await killNats();
  await rm(storeDir, { recursive: true, force: true });
  await db.dropDatabase();
  await db.close();
});

function startRelay(): OutboxRelay {
  relay = new OutboxRelay({
    models: [Tickets],
    publisher: {
      publish: (event: DomainEvent) =>
        events.publisher.publish(event).catch((err: unknown) => {
          failures++;
          throw err;
        }),
    },
    pollIntervalMs: 200,
    fullScanIntervalMs: 3_600_000,
  });
  return relay.start();
}

/** How many times the stream holds the aggregate's event (throws while the client reconnects). */
async function storedFor(aggregateId: string): Promise<number> {
  let count = 0;
  const { state } = await events.jsm.streams.info(events.stream.name);
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const m = await events.jsm.streams.getMessage(events.stream.name, { seq }).catch(() => null);
    if (m?.json<{ aggregateId: string }>().aggregateId === aggregateId) count++;
  }
  return count;
}

const create = (id: string) =>
  TicketCreated.create({
    aggregateId: id,
    aggregateVersion: 1,
    data: { title: 'Jazz', priceCents: 100, sellerId: 's' },
  });

test('a publish that fails while NATS is down goes out once NATS is back, exactly once', async () => {
  const live = startRelay();
  await live.flush();
  await killNats();
  const failedBefore = failures;

  await Tickets.create({ _id: 'down-1', title: 'Jazz', ...outboxFields(create('down-1')) });
  live.kick();
  await eventually(() => failures > failedBefore, 30_000);

  await startNats();
  await eventually(async () => (await storedFor('down-1').catch(() => 0)) > 0, 30_000);
  await live.flush(); // and a full scan after it finds nothing left to publish
  expect(await storedFor('down-1')).toBe(1);
});

test('entries of a dead process found while NATS is down go out once NATS is back', async () => {
  await Tickets.create({ _id: 'down-2', title: 'Jazz', ...outboxFields(create('down-2')) });
  await killNats();
  const failedBefore = failures;

  startRelay(); // its scan at start fails
  await eventually(() => failures > failedBefore, 30_000);

  await startNats();
  // Retried at the next poll, not a full-scan interval (an hour here) later.
  await eventually(async () => (await storedFor('down-2').catch(() => 0)) > 0, 30_000);
  expect(await storedFor('down-2')).toBe(1);
});
