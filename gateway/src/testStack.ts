import { readFileSync } from 'node:fs';
import { dropTestStreams, testStream } from '@ticketing/events';
import { testDatabaseName } from '@ticketing/kit';
import { createUsersService, readUsersSettings, type UsersService } from '@ticketing/users';
import { SUPERGRAPH_FILE } from './composeSupergraph';
import { createGateway, type Gateway } from './createGateway';
import { type GatewaySettings, readGatewaySettings } from './settings';

export interface TestStack {
  users: UsersService;
  gateway: Gateway;
  settings: GatewaySettings;
  stop(): Promise<void>;
}

/**
 * The users subgraph and the gateway in this process, on free ports, with a database, a stream
 * and a Redis key prefix of the test file's own (infrastructure from jest's global setup).
 */
export async function startTestStack(label: string, env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const prefix = `${testDatabaseName(label)}:`;
  const common = { ...process.env, PORT: '0', REDIS_PREFIX: prefix, NODE_ENV: 'test', ...env };
  const users = await createUsersService({
    settings: readUsersSettings(common),
    dbName: testDatabaseName(label),
    events: { stream: testStream(label) },
  });
  const settings = readGatewaySettings(common);
  const gateway = await createGateway({
    settings,
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: { users: users.url },
  });
  return {
    users,
    gateway,
    settings,
    async stop() {
      await gateway.stop();
      await users.models.Users.db.dropDatabase().catch(() => undefined);
      await dropTestStreams(users.events);
      await users.stop();
    },
  };
}

export interface GraphQLReply<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    extensions?: { code?: string; fields?: Array<{ field: string; message: string }> };
  }>;
  setCookies: string[];
}

/** A tiny GraphQL client over fetch; sends `cookie` / `bearer` when given. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: { cookie?: string; bearer?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLReply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as Omit<GraphQLReply<T>, 'status' | 'setCookies'>;
  return { status: res.status, ...body, setCookies: res.headers.getSetCookie() };
}

/** `name=value` of the session cookie in Set-Cookie headers, for the next request's Cookie header. */
export function sessionCookie(setCookies: string[]): string | undefined {
  const found = setCookies.find((c) => c.startsWith('session='));
  return found?.split(';')[0];
}
