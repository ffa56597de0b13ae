import { ticketRenamed } from '@ticketing/events/testing';
import type { Identity } from '@ticketing/kit/auth';
import type { ExecutionResult } from 'graphql';
import pino from 'pino';
import { type LiveSubscription, type RunQuery, SubscriptionHub } from './SubscriptionHub';

// The hub on its own: what each subscriber is sent (the text its socket would carry), for answers
// the supergraph gives. SubscriptionServer.test.ts runs it behind the real socket server.

/** A hub whose supergraph answers `answer(entityId)`; every resolution and every log line recorded. */
function hubWith(answer: (entityId: string) => ExecutionResult | Promise<ExecutionResult>) {
  const ran: { variables: Record<string, unknown>; identity: Identity | null }[] = [];
  const logged: { msg: string; entityId?: string }[] = [];
  const run: RunQuery = async (_query, variables, identity) => {
    ran.push({ variables, identity });
    return answer(String(variables.__entityId));
  };
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  return { hub: new SubscriptionHub(run, logger), ran, logged };
}

/** A subscriber of one ticket: what it was sent, and its end. */
function watch(hub: SubscriptionHub, ticketId: string, identity: Identity | null = null) {
  const sent: string[] = [];
  const live: LiveSubscription = {
    topic: `ticket:${ticketId}`,
    query: 'query($__entityId: ID!) { ticketChanged: ticket(id: $__entityId) { id } }',
    responseKey: 'ticketChanged',
    variables: { id: ticketId },
    identity,
    send: (payload) => void sent.push(payload),
  };
  const iterator = hub.subscribe(live);
  return { sent, iterator };
}

const found = (id: string) => ({ data: { ticketChanged: { id } } });

test('a long fan-out yields after each 500 sends: who left meanwhile is sent nothing', async () => {
  const { hub } = hubWith(found);
  const watchers = Array.from({ length: 1000 }, () => watch(hub, 't1'));
  const [first] = watchers;
  if (!first) throw new Error('no watchers');
  const leaving = [1, 2, 499, 500, 999];
  // As the first is sent its update, some others leave at the next turn of the event loop.
  const send = first.sent.push.bind(first.sent);
  first.sent.push = (...items) => {
    setImmediate(() => {
      for (const i of leaving) watchers[i]?.iterator.close();
    });
    return send(...items);
  };
  await hub.dispatch(ticketRenamed('t1', 2));
  // The first 500 were sent theirs in one turn, before any left; the rest after, and not to those.
  const sentTo = (i: number) => watchers[i]?.sent.length;
  expect(leaving.map(sentTo)).toEqual([1, 1, 1, 0, 0]);
  expect(watchers.filter((w) => w.sent.length === 1)).toHaveLength(998);
  expect([...first.sent]).toEqual([JSON.stringify(found('t1'))]);
  expect(hub.size).toBe(995);
});

test('an event seen among the last 1,000 is not resolved again; one seen before them is', async () => {
  const { hub, ran } = hubWith(found);
  const { sent } = watch(hub, 't1');
  const event = ticketRenamed('t1', 2);
  await hub.dispatch(event);
  // 999 other events (of tickets nobody watches): the first is still remembered.
  for (let i = 0; i < 999; i++) await hub.dispatch(ticketRenamed(`other-${i}`, 2));
  await hub.dispatch(event);
  expect(sent).toHaveLength(1);
  // One more, and it is forgotten: a redelivery now is resolved and sent again.
  await hub.dispatch(ticketRenamed('other-last', 2));
  await hub.dispatch(event);
  expect(sent).toHaveLength(2);
  expect(ran).toHaveLength(2);
});

test('errors without data are sent; an entity gone is not (and is no error); a failed resolution is logged, not sent', async () => {
  const answers: Record<string, ExecutionResult> = {
    broken: { errors: [{ message: 'planning failed' }] } as unknown as ExecutionResult,
    gone: { data: { ticketChanged: null } },
    nodata: {},
  };
  const { hub, logged } = hubWith((id) => {
    if (id === 'down') throw new Error('supergraph unreachable');
    return answers[id] ?? found(id);
  });
  const broken = watch(hub, 'broken');
  const gone = watch(hub, 'gone');
  const nodata = watch(hub, 'nodata');
  const down = watch(hub, 'down');
  for (const id of ['broken', 'gone', 'nodata', 'down']) await hub.dispatch(ticketRenamed(id, 2));
  expect(broken.sent).toEqual([JSON.stringify({ errors: [{ message: 'planning failed' }] })]);
  expect(gone.sent).toEqual([]);
  expect(nodata.sent).toEqual([]);
  expect(down.sent).toEqual([]);
  expect(logged).toEqual([
    expect.objectContaining({ msg: 'could not resolve a live update', entityId: 'down' }),
  ]);
});

test('once the last subscriber of a ticket leaves, its events resolve nothing', async () => {
  const { hub, ran } = hubWith(found);
  const a = watch(hub, 't1');
  const b = watch(hub, 't1', { userId: 'bob', via: 'session' });
  a.iterator.close();
  await hub.dispatch(ticketRenamed('t1', 2));
  expect(ran.map((r) => r.identity?.userId)).toEqual(['bob']);
  b.iterator.close();
  await hub.dispatch(ticketRenamed('t1', 2));
  expect(ran).toHaveLength(1);
  expect(hub.size).toBe(0);
  // Subscribing again after that works as the first time.
  const again = watch(hub, 't1');
  await hub.dispatch(ticketRenamed('t1', 2));
  expect(again.sent).toEqual([JSON.stringify(found('t1'))]);
});

test('closeAll ends every subscription of every topic', async () => {
  const { hub } = hubWith(found);
  const watchers = [watch(hub, 't1'), watch(hub, 't1', { userId: 'ann', via: 'session' }), watch(hub, 't2')];
  const ends = watchers.map((w) => w.iterator.next());
  hub.closeAll();
  expect(await Promise.all(ends)).toEqual(watchers.map(() => ({ value: undefined, done: true })));
  expect(hub.size).toBe(0);
  await hub.dispatch(ticketRenamed('t1', 2));
  for (const w of watchers) expect(w.sent).toEqual([]);
});
