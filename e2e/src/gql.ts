// The smallest GraphQL client over fetch, for tests and bench that talk to the gateway as a client would.

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
