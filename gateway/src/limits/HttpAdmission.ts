import type { ServerResponse } from 'node:http';
import type { Identity } from '@ticketing/kit/auth';
import { type DocumentNode, type GraphQLError, parse } from 'graphql';
import { requestErrorStatus } from '../http/httpStatusPlugin';
import { contentTypeOf, GraphQLMediaType, negotiateMediaType } from '../http/mediaType';
import { type OperationGuard, throttled } from './OperationGuard';
import { type RateLimitState, rateLimitHeaders } from './RateLimiter';

/** The operation a GraphQL-over-HTTP request carries (JSON body, or the query string of a GET). */
export interface RequestedOperation {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/** Documents parsed here are kept when at most this long (most clients send a few, many times). */
const CACHED_QUERY_CHARS = 8 * 1024;

/**
 * The gateway's limits on an HTTP request, before Apollo Server parses or validates it (graphql-js
 * validation of a hostile document is what costs: comparing 1,000 same-named fields is a million
 * comparisons): the document is parsed here within the token limit (kept for the next request
 * sending it), measured, and the caller's rate limit spent. A refused operation is answered here,
 * with the RateLimit headers every answer carries.
 */
export class HttpAdmission {
  private readonly documents = new Map<string, DocumentNode | null>();

  constructor(
    private readonly guard: OperationGuard,
    private readonly maxTokens: number,
    private readonly maxDocuments = 1000,
  ) {}

  /**
   * The points the operation spent when admitted (its RateLimit headers set on `res`); false when
   * it was refused and answered here.
   */
  async admit(
    res: ServerResponse,
    operation: RequestedOperation,
    identity: Identity | null,
    clientAddress: string | undefined,
  ): Promise<number | false> {
    const document = operation.query === undefined ? null : this.parse(operation.query);
    // A request Apollo Server will refuse anyway (no query, a syntax error) costs 1.
    const inspection = document
      ? this.guard.inspect(document, operation.operationName, operation.variables)
      : {};
    const cost = inspection.refusal ? 1 : (inspection.measure?.cost ?? 1);
    const state = await this.guard.spend(identity, clientAddress, cost);
    if (state && !state.allowed) return refuse(res, 429, throttled(state), state);
    if (inspection.refusal) return refuse(res, 400, inspection.refusal, state);
    if (state) for (const [name, value] of rateLimitHeaders(state)) res.setHeader(name, value);
    return cost;
  }

  private parse(query: string): DocumentNode | null {
    const cached = this.documents.get(query);
    if (cached !== undefined) {
      // Most recently used last: the first entry is the one evicted.
      this.documents.delete(query);
      this.documents.set(query, cached);
      return cached;
    }
    let document: DocumentNode | null;
    try {
      document = parse(query, { maxTokens: this.maxTokens, noLocation: true });
    } catch {
      document = null;
    }
    if (query.length <= CACHED_QUERY_CHARS) {
      this.documents.set(query, document);
      if (this.documents.size > this.maxDocuments) {
        const oldest = this.documents.keys().next().value;
        if (oldest !== undefined) this.documents.delete(oldest);
      }
    }
    return document;
  }
}

/** The operation of a request body (POST JSON) or query string (GET), as far as it is well formed. */
export function requestedOperation(body: unknown, search: string): RequestedOperation {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { query, operationName, variables } = body as Record<string, unknown>;
    return {
      ...(typeof query === 'string' ? { query } : {}),
      ...(typeof operationName === 'string' ? { operationName } : {}),
      ...(variables && typeof variables === 'object'
        ? { variables: variables as Record<string, unknown> }
        : {}),
    };
  }
  const params = new URLSearchParams(search);
  const query = params.get('query');
  const operationName = params.get('operationName');
  let variables: unknown;
  try {
    variables = JSON.parse(params.get('variables') ?? 'null');
  } catch {
    variables = null;
  }
  return {
    ...(query !== null ? { query } : {}),
    ...(operationName !== null ? { operationName } : {}),
    ...(variables && typeof variables === 'object'
      ? { variables: variables as Record<string, unknown> }
      : {}),
  };
}

function refuse(
  res: ServerResponse,
  status: number,
  error: GraphQLError,
  state: RateLimitState | undefined,
): false {
  const body = JSON.stringify({ errors: [error.toJSON()] });
  // A refused operation is a request error: 200 with application/json, 400 with graphql-response+json.
  const type = negotiateMediaType(res.req.headers.accept);
  res
    .writeHead(status === 400 ? requestErrorStatus(type) : status, {
      ...Object.fromEntries(state ? rateLimitHeaders(state) : []),
      'content-type': contentTypeOf(type ?? GraphQLMediaType.JSON),
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
  return false;
}
