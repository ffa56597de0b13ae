// Events library versus the raw NATS client: publish + consume throughput and end-to-end latency
// of N events through JetStream, both measured in the same run on the same server.
//
//   npm run events -w bench [-- --count 10000 --inflight 64]
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectEvents, ensureStreams, TicketCreated } from '@ticketing/events';
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { flag, ms, percentile, pool } from './stats';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const count = flag('count', 10_000);
const inflight = flag('inflight', 64);

interface Result {
  throughput: number;
  p50: number;
  p99: number;
}

const makeEvents = () =>
  Array.from({ length: count }, (_, i) =>
    TicketCreated.create({
      aggregateId: `ticket-${i}`,
      aggregateVersion: 1,
      data: { title: 'Bench concert', priceCents: 4200, sellerId: 'seller' },
    }),
  );

/** Publishes through `send` with a bounded window; `arrivals.done` resolves once all have arrived. */
type BenchEvent = ReturnType<typeof makeEvents>[number];

async function measure(
  send: (event: BenchEvent) => Promise<unknown>,
  arrivals: { latencies: number[]; done: Promise<void> },
  sentAt: Map<string, number>,
): Promise<Result> {
  const events = makeEvents(); // built (and validated) before the clock starts
  const start = performance.now();
  await pool(events, inflight, async (event) => {
    sentAt.set(event.id, performance.now());
    await send(event);
  });
  await arrivals.done;
  const seconds = (performance.now() - start) / 1000;
  return {
    throughput: count / seconds,
    p50: percentile(arrivals.latencies, 50),
    p99: percentile(arrivals.latencies, 99),
  };
}

function arrivalsTracker(sentAt: Map<string, number>) {
  const latencies: number[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  return {
    latencies,
    done,
    arrived(id: string) {
      latencies.push(performance.now() - (sentAt.get(id) ?? Number.NaN));
      if (latencies.length === count) resolve();
    },
  };
}

async function raw(): Promise<Result> {
  const stream = testStream('bench_raw');
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, stream);
  const js = jetstream(nc);
  await jsm.consumers.add(stream.name, { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  const messages = await (await js.consumers.get(stream.name, 'raw')).consume({ max_messages: 256 });
  const sentAt = new Map<string, number>();
  const tracker = arrivalsTracker(sentAt);
  void (async () => {
    for await (const m of messages) {
      tracker.arrived(m.json<{ id: string }>().id);
      m.ack();
    }
  })();
  const subject = `${stream.subjectPrefix}.${TicketCreated.subject}`;
  const encoder = new TextEncoder();
  const result = await measure(
    (event) => js.publish(subject, encoder.encode(JSON.stringify(event)), { msgID: event.id }),
    tracker,
    sentAt,
  );
  await messages.close();
  await dropTestStreams({ jsm, stream });
  await nc.drain();
  return result;
}

async function library(): Promise<Result> {
  const events = await connectEvents({ url, stream: testStream('bench_lib') });
  const sentAt = new Map<string, number>();
  const tracker = arrivalsTracker(sentAt);
  await events.consume({
    durable: 'lib',
    events: [TicketCreated],
    handle: async (e) => tracker.arrived(e.id),
  });
  const result = await measure((event) => events.publisher.publish(event), tracker, sentAt);
  await dropTestStreams(events);
  await events.close();
  return result;
}

async function main() {
  console.log(`events bench: ${count} events, ${inflight} publishes in flight, ${url}\n`);
  const rawResult = await raw();
  const libResult = await library();
  const row = (name: string, r: Result) =>
    `${name.padEnd(14)}${`${Math.round(r.throughput).toLocaleString('en')} ev/s`.padStart(14)}${ms(r.p50).padStart(12)}${ms(r.p99).padStart(12)}`;
  console.log(`${''.padEnd(14)}${'throughput'.padStart(14)}${'p50'.padStart(12)}${'p99'.padStart(12)}`);
  console.log(row('raw client', rawResult));
  console.log(row('events lib', libResult));
  const ratio = libResult.throughput / rawResult.throughput;
  console.log(`\nthroughput ratio: ${ratio.toFixed(2)}× the raw client (target ≥ 0.80×)`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
