import { type EventOf, UserCreated, UserUpdated } from '@ticketing/events';
import { DEV_INTERNAL_JWT_KEY, IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';
import type { UsersService } from './createUsersService';
import { startTestUsers, stopTestUsers } from './testing';

// users publishes UserCreated on sign-up and UserUpdated on an email change, through the outbox
// kept in the user's own document (one write for the change and its event).

let users: UsersService;
beforeAll(async () => {
  users = await startTestUsers('users_events');
});
afterAll(() => stopTestUsers(users));

// Anonymous callers too come with the gateway's signed identity (the subgraph refuses anything else).
const anonymous = () => signIdentity({ identity: null }, DEV_INTERNAL_JWT_KEY);
const post = async (query: string, variables: object, identity = anonymous()) => {
  const res = await fetch(users.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
};

test('sign-up publishes UserCreated (version 1), an email change UserUpdated (version 2)', async () => {
  const seen: Array<EventOf<typeof UserCreated> | EventOf<typeof UserUpdated>> = [];
  let done: () => void = () => undefined;
  const both = new Promise<void>((resolve) => {
    done = resolve;
  });
  await users.events.consume({
    durable: 'users_events_test',
    events: [UserCreated, UserUpdated],
    handle: async (event) => {
      seen.push(event);
      if (seen.length === 2) done();
    },
  });

  const email = `events.${Date.now()}@example.com`;
  const up = await post('mutation ($e: String!) { signUp(email: $e, password: "password-1") { id } }', {
    e: email,
  });
  const id = up.data?.signUp?.id ?? '';
  const me = signIdentity({ identity: { userId: id, via: 'session' } }, DEV_INTERNAL_JWT_KEY);
  const changed = await post(
    'mutation ($e: String!) { changeEmail(email: $e, password: "password-1") { id } }',
    { e: `new.${email}` },
    me,
  );
  expect(changed.errors).toBeUndefined();
  await both;

  expect(seen.map((e) => [e.type, e.aggregateId, e.aggregateVersion, e.data])).toEqual([
    ['UserCreated', id, 1, { email }],
    ['UserUpdated', id, 2, { email: `new.${email}` }],
  ]);
});
