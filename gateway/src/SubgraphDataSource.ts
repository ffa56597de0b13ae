import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, SessionProtocol, signIdentity } from '@ticketing/kit/auth';
import type { GatewayContext } from './GatewayContext';
import type { Sessions } from './Sessions';

/**
 * How the gateway talks to a subgraph: through the given fetcher (createHttpFetcher: keep-alive
 * sockets), with the caller's identity as a short-lived token signed with the internal key (one
 * per request, made lazily), and the session token users returns turned into the cookie (subgraph
 * headers never reach the client).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    fetcher: Fetcher,
    private readonly internalKey: string,
    private readonly sessions: Sessions,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
    const ctx = context as Partial<GatewayContext>;
    if (!ctx.identityToken) {
      ctx.identityToken = signIdentity(
        {
          identity: ctx.identity ?? null,
          ...(ctx.clientAddress ? { clientAddress: ctx.clientAddress } : {}),
        },
        this.internalKey,
      );
    }
    request.http?.headers.set(IDENTITY_HEADER, ctx.identityToken);
  }

  override didReceiveResponse({
    response,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const token = response.http?.headers.get(SessionProtocol.header);
    if (token !== null && token !== undefined) {
      const cookie = this.sessions.cookieFromSubgraph(token);
      // The subgraph's response headers are never passed on to the client: the token stays here.
      if (cookie && context.res) context.res.appendHeader('Set-Cookie', cookie);
    }
    return response;
  }
}
