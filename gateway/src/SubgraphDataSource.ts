import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, SessionProtocol, signIdentity } from '@ticketing/kit/auth';
import { IDEMPOTENCY_KEY_HEADER } from '@ticketing/kit/graphql';
import type { GatewayContext } from './GatewayContext';
import type { PublicReads } from './publicReads/PublicReads';
import { isSafeOperation } from './resilience/isSafeOperation';
import { RetryPolicy } from './resilience/RetryPolicy';
import { SubgraphCalls } from './resilience/SubgraphCalls';
import type { Sessions } from './Sessions';
import { isWarmUp } from './warmUp/warmUp';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface SubgraphDataSourceOptions {
  /** The subgraph's name in the supergraph (what cache tags name). */
  name: string;
  url: string;
  fetcher: Fetcher;
  internalKey: string;
  sessions: Sessions;
  /** Shared and cached anonymous reads; absent or disabled: every call goes to the subgraph. */
  publicReads?: PublicReads;
  /**
   * Retries of safe calls to an unreachable subgraph, and SERVICE_UNAVAILABLE for the rest.
   * Default: no retries, SERVICE_UNAVAILABLE still.
   */
  calls?: SubgraphCalls;
}

/**
 * How the gateway talks to a subgraph: through the given fetcher (createHttpFetcher: keep-alive
 * sockets), with the caller's identity as a short-lived token signed with the internal key (one
 * per request, made lazily), and the session token users returns turned into the cookie (subgraph
 * headers never reach the client). Anonymous queries go through PublicReads (shared in flight,
 * cached for subgraphs whose changes are announced by events); nothing else does.
 *
 * `process` is the base class's minus what this gateway never uses (automatic persisted queries,
 * cache-control hints), and without the node-fetch Headers and Request it builds on every call.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly name: string;
  private readonly internalKey: string;
  private readonly sessions: Sessions;
  private readonly publicReads: PublicReads | undefined;
  private readonly calls: SubgraphCalls;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.name = options.name;
    this.internalKey = options.internalKey;
    this.sessions = options.sessions;
    this.publicReads = options.publicReads?.enabled ? options.publicReads : undefined;
    this.calls =
      options.calls ?? new SubgraphCalls(new RetryPolicy({ retries: 0, baseDelayMs: 1, maxDelayMs: 1 }));
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as Partial<GatewayContext>;
    if (!request.query) throw new Error('Missing query');
    // Planned and validated is all a warm-up wants: nothing reaches a subgraph.
    if (isWarmUp(context)) return { data: null };
    const { http, ...payload } = request;
    const body = JSON.stringify(payload);
    const idempotencyKey = mutationIdempotencyKey(options);
    const init = (signal?: AbortSignal): FetcherRequestInit => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const [name, value] of http?.headers ?? []) headers[name] = value;
      headers[IDENTITY_HEADER] = this.identityToken(context);
      if (idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = idempotencyKey;
      return { method: 'POST', headers, body, ...(signal ? { signal } : {}) };
    };
    const anonymousQuery =
      'incomingRequestContext' in options &&
      !context.identity &&
      options.incomingRequestContext.operation?.operation === 'query';
    const publicReads = anonymousQuery ? this.publicReads : undefined;
    const send = (): Promise<FetcherResponse> =>
      publicReads
        ? publicReads.read(this.name, this.fetcher, this.url, body, () => init())
        : // The request's deadline or its client leaving aborts the call (a shared read serves others).
          this.fetcher(this.url, init(context.signal));
    const safe = isSafeOperation('document' in options ? options.document : undefined, request.query);
    const fetched = await this.calls.call(
      this.name,
      { safe, deadline: context.deadline, signal: context.signal },
      send,
    );
    if (!fetched.ok) throw await this.errorFromResponse(fetched);
    const parsed = await this.parseBody(fetched);
    if (typeof parsed !== 'object' || parsed === null) {
      throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    }
    const response: GatewayGraphQLResponse = { ...parsed, http: fetched };
    return this.afterResponse(response, context);
  }

  /** The signed identity for subgraphs, made once per incoming request. */
  private identityToken(context: Partial<GatewayContext>): string {
    context.identityToken ??= signIdentity(
      {
        identity: context.identity ?? null,
        ...(context.clientAddress ? { clientAddress: context.clientAddress } : {}),
      },
      this.internalKey,
    );
    return context.identityToken;
  }

  private afterResponse(response: GatewayGraphQLResponse, context: Partial<GatewayContext>) {
    const token = response.http?.headers.get(SessionProtocol.header);
    if (token !== null && token !== undefined) {
      const cookies = this.sessions.cookiesFromSubgraph(token);
      // The subgraph's response headers are never passed on to the client: the token stays here.
      if (cookies.length && context.res) context.res.appendHeader('Set-Cookie', cookies);
    }
    return response;
  }
}

/** A client's `Idempotency-Key` on a mutation, passed on for the subgraph to honour (and check). */
function mutationIdempotencyKey(
  options: GraphQLDataSourceProcessOptions<GatewayContext>,
): string | undefined {
  if (!('incomingRequestContext' in options)) return undefined;
  const { operation, request } = options.incomingRequestContext;
  if (operation?.operation !== 'mutation') return undefined;
  return request?.http?.headers.get(IDEMPOTENCY_KEY_HEADER) ?? undefined;
}
