import { HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { cookies, headers as requestHeaders } from 'next/headers';
import { SESSION_COOKIE, SESSION_ENDED_HEADER } from './sessionCookie';
import { noteSessionBanned } from './sessionEnded';

/** The gateway as the server sees it; read at request time so one build serves any environment. */
const gatewayUrl = () => process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';

export { SESSION_COOKIE };

/**
 * One Apollo Client per server request. Its fetch forwards the visitor's session cookie, so
 * server-rendered HTML already shows the signed-in state (no flash of signed-out content), and the
 * visitor's address (X-Forwarded-For, completed by scripts/server.mjs), so the gateway's rate limits
 * count the visitor rather than this server. A cookie that stopped working because the account is
 * banned is noted for the request (sessionEnded.ts), so the page can say so.
 */
export const { getClient } = registerApolloClient(
  () =>
    new ApolloClient({
      cache: new InMemoryCache(),
      defaultOptions: { query: { fetchPolicy: 'no-cache' } },
      link: new HttpLink({
        uri: gatewayUrl(),
        fetch: async (input, init) => {
          const session = (await cookies()).get(SESSION_COOKIE)?.value;
          const headers = new Headers(init?.headers);
          if (session) headers.set('cookie', `${SESSION_COOKIE}=${encodeURIComponent(session)}`);
          const forwardedFor = (await requestHeaders()).get('x-forwarded-for');
          if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);
          const response = await fetch(input, { ...init, headers, cache: 'no-store' });
          if (response.headers.get(SESSION_ENDED_HEADER) === 'banned') noteSessionBanned();
          return response;
        },
      }),
    }),
);
