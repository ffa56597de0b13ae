import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { DEV_INTERNAL_JWT_KEY, IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';
import { eventually, testDatabaseName } from '@ticketing/kit/testing';
import { Types } from 'mongoose';
import { createUsersService, type UsersService } from './createUsersService';
import { readUsersSettings } from './settings';

// Other subgraphs ask users for the users they reference (the seller of every ticket on a page):
// each replica answers from memory, and must see a user signed up, or an email changed, on another
// replica.

const dbName = testDatabaseName('user_directory');
const stream = testStream('user_directory');
const replicas: UsersService[] = [];

const startReplica = async () => {
  const replica = await createUsersService({
    settings: readUsersSettings({ ...process.env, PORT: '0', REDIS_PREFIX: `${dbName}:` }),
    dbName,
    events: { stream },
  });
  replicas.push(replica);
  return replica;
};

afterAll(async () => {
  const [first] = replicas;
  if (first) {
    await first.models.Users.db.dropDatabase().catch(() => undefined);
    await dropTestStreams(first.events);
  }
  for (const replica of replicas) await replica.stop();
});

async function post<T>(replica: UsersService, query: string, variables: object, userId?: string) {
  const identity = signIdentity(
    { identity: userId ? { userId, via: 'session' } : null },
    DEV_INTERNAL_JWT_KEY,
  );
  const res = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The user as another subgraph's reference resolves it, asked as the user themself (email shown). */
const referenced = (replica: UsersService, id: string) =>
  post<{ _entities: Array<{ id: string; email: string | null } | null> }>(
    replica,
    'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id email } } }',
    { reps: [{ __typename: 'User', id }] },
    id,
  ).then((d) => d._entities[0]);

test('a user signed up on one replica is found by another at once, then with each email change', async () => {
  const [first, second] = [await startReplica(), await startReplica()];
  if (!first || !second) throw new Error('two replicas expected');
  const email = `directory.${Date.now()}@example.com`;
  const { signUp } = await post<{ signUp: { id: string } }>(
    first,
    'mutation ($e: String!) { signUp(email: $e, password: "password-1") { id } }',
    { e: email },
  );
  expect(await referenced(second, signUp.id)).toEqual({ id: signUp.id, email });

  const change = (replica: UsersService, to: string) =>
    post(
      replica,
      'mutation ($e: String!) { changeEmail(email: $e, password: "password-1") { id } }',
      { e: to },
      signUp.id,
    );
  await change(first, `second.${email}`);
  // The writing replica at once; the other once the change's event reached it.
  expect(await referenced(first, signUp.id)).toEqual({ id: signUp.id, email: `second.${email}` });
  await eventually(async () => (await referenced(second, signUp.id))?.email === `second.${email}`);

  // And back the other way: a change on the second replica reaches the first.
  await change(second, `third.${email}`);
  await eventually(async () => (await referenced(first, signUp.id))?.email === `third.${email}`);
  expect(await referenced(second, signUp.id)).toEqual({ id: signUp.id, email: `third.${email}` });
});

test('an id no user has is answered null, and a malformed one too', async () => {
  const replica = replicas[0] ?? (await startReplica());
  const unknown = new Types.ObjectId().toHexString();
  expect(await referenced(replica, unknown)).toBeNull();
  expect(await referenced(replica, 'not-an-id')).toBeNull();
});
