import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { DEV_INTERNAL_JWT_KEY, IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { createTicketsService, type TicketsService } from './createTicketsService';
import { readTicketsSettings } from './settings';

// Each tickets replica serves the listing from memory: it must hold the tickets written before it
// started and see the writes of another replica (through the tickets' events) soon after.

const dbName = testDatabaseName('listing_feed');
const stream = testStream('listing_feed');
const seller = new Types.ObjectId().toHexString();
const replicas: TicketsService[] = [];

const startReplica = async () => {
  const replica = await createTicketsService({
    settings: readTicketsSettings({ ...process.env, PORT: '0' }),
    dbName,
    events: { stream },
  });
  replicas.push(replica);
  return replica;
};

afterAll(async () => {
  const [first] = replicas;
  if (first) {
    await first.models.Tickets.db.dropDatabase().catch(() => undefined);
    await dropTestStreams(first.events);
  }
  for (const replica of replicas) await replica.stop();
});

interface Listed {
  id: string;
  title: string;
  price: number;
}

async function gql<T>(replica: TicketsService, query: string, variables: object = {}): Promise<T> {
  const identity = signIdentity({ identity: { userId: seller, via: 'session' } }, DEV_INTERNAL_JWT_KEY);
  const res = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const list = (replica: TicketsService, title: string) =>
  gql<{ createTicket: Listed }>(
    replica,
    'mutation ($title: String!) { createTicket(input: { title: $title, price: 10 }) { id title price } }',
    { title },
  ).then((d) => d.createTicket);

const page = (replica: TicketsService) =>
  gql<{ tickets: { edges: Array<{ node: Listed }> } }>(
    replica,
    '{ tickets(first: 10) { edges { node { id title price } } } }',
  ).then((d) => d.tickets.edges.map((e) => e.node));

test('a second replica lists what was there when it started, then the first replica’s new tickets and edits', async () => {
  const first = await startReplica();
  const before = await list(first, 'Listed before the second replica');
  // The writing replica lists its own write at once.
  expect((await page(first)).map((t) => t.id)).toEqual([before.id]);

  const second = await startReplica();
  expect(await page(second)).toEqual([before]);

  const after = await list(first, 'Listed after');
  await eventually(async () => (await page(second)).map((t) => t.id).join() === [after.id, before.id].join());

  await gql(first, 'mutation ($id: ID!) { updateTicket(id: $id, input: { price: 25 }) { id } }', {
    id: before.id,
  });
  await eventually(async () => (await page(second)).find((t) => t.id === before.id)?.price === 25);
  expect(await page(second)).toEqual(await page(first));
});

test('a ticket listed on one replica is found by id on another at once, and then with its edits', async () => {
  const [first, second] = replicas.length >= 2 ? replicas : [await startReplica(), await startReplica()];
  if (!first || !second) throw new Error('two replicas expected');
  const byId = (replica: TicketsService, id: string) =>
    gql<{ ticket: Listed | null; _entities: Array<Listed | null> }>(
      replica,
      `query ($id: ID!, $reps: [_Any!]!) {
        ticket(id: $id) { id title price }
        _entities(representations: $reps) { ... on Ticket { id title price } }
      }`,
      { id, reps: [{ __typename: 'Ticket', id }] },
    );
  const listed = await list(first, 'Looked up at once');
  // Before its event reached the second replica, or after: never missing.
  expect(await byId(second, listed.id)).toEqual({ ticket: listed, _entities: [listed] });

  await gql(first, 'mutation ($id: ID!) { updateTicket(id: $id, input: { price: 40 }) { id } }', {
    id: listed.id,
  });
  await eventually(async () => (await byId(second, listed.id)).ticket?.price === 40);
  expect((await byId(second, listed.id))._entities).toEqual([{ ...listed, price: 40 }]);
  expect(await byId(second, new Types.ObjectId().toHexString())).toEqual({ ticket: null, _entities: [null] });
});
