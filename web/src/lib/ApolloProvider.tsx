'use client';
import { ApolloLink, HttpLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import type { ReactNode } from 'react';
import { createLiveClient } from './liveConnection';

/**
 * The browser's client: queries and mutations over HTTP to the same-origin /graphql (the
 * session cookie is httpOnly, so only same-origin requests carry it), subscriptions over
 * graphql-ws. Server components load the initial data; this client only runs in the browser.
 */
function makeClient() {
  const http = new HttpLink({
    uri: '/graphql',
    credentials: 'same-origin',
    // Apollo Server's CSRF prevention accepts requests that carry this header.
    headers: { 'apollo-require-preflight': 'true' },
  });
  const link =
    typeof window === 'undefined'
      ? http
      : ApolloLink.split(
          (op) => op.operationType === 'subscription',
          new GraphQLWsLink(createLiveClient()),
          http,
        );
  return new ApolloClient({
    cache: new InMemoryCache(),
    link,
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
}

export function ApolloProvider({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
