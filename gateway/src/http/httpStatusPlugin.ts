import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@ticketing/kit/graphql';
import type { FormattedExecutionResult } from 'graphql';
import { contentTypeOf, GraphQLMediaType, negotiateMediaType } from './mediaType';

/** The challenge of every 401 (RFC 6750): an API key as a Bearer token, or the session cookie. */
export const BEARER_CHALLENGE = 'Bearer realm="ticketing"';

/**
 * Codes saying the request as sent cannot run (the client must change it): a parse, validation or
 * variable-coercion failure, an unknown operation name, or one of the gateway's operation limits.
 */
const REQUEST_ERROR_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.COST_LIMIT_EXCEEDED,
  ErrorCode.OPERATION_TOO_COMPLEX,
]);

/**
 * The status of an answer refusing the request as sent, by the media type it is answered in: with
 * application/json the GraphQL-over-HTTP spec asks 200 (the body is a GraphQL response, and a
 * client cannot trust a 4xx body to come from the server); with application/graphql-response+json
 * it asks 400.
 */
export function requestErrorStatus(type: GraphQLMediaType | null): number {
  return type === GraphQLMediaType.JSON ? 200 : 400;
}

/**
 * 401 when nothing was served because the caller is not signed in (every error UNAUTHENTICATED or
 * FORBIDDEN, at least one UNAUTHENTICATED), 403 when only because it may not, as an invalid API
 * key is answered before anything runs. An answer with some data stays 200: its errors say which
 * fields were refused.
 */
export function deniedStatus(result: FormattedExecutionResult): 401 | 403 | undefined {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code);
  if (!codes.length || !codes.every((c) => c === ErrorCode.UNAUTHENTICATED || c === ErrorCode.FORBIDDEN))
    return undefined;
  if (result.data && Object.values(result.data).some((value) => value !== null)) return undefined;
  return codes.includes(ErrorCode.UNAUTHENTICATED) ? 401 : 403;
}

/**
 * The HTTP status of every GraphQL answer, one rule for the gateway's own refusals and Apollo
 * Server's: a request that cannot run as sent is 200 with application/json and 400 with
 * application/graphql-response+json (GraphQL over HTTP; Apollo Server answers 400 in both); a caller
 * refused for who it is gets 401/403 with a Bearer challenge whatever the media type. The answer's
 * Content-Type is set here, as Apollo Server would choose it, so that both agree.
 */
export function httpStatusPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ request }) {
      if (!request.http) return;
      const type = negotiateMediaType(request.http.headers.get('accept'));
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (type && !response.http.headers.has('content-type'))
            response.http.headers.set('content-type', contentTypeOf(type));
          const result = response.body.singleResult;
          const denied = deniedStatus(result);
          if (denied) {
            response.http.status = denied;
            if (denied === 401) response.http.headers.set('www-authenticate', BEARER_CHALLENGE);
            return;
          }
          const errors = result.errors ?? [];
          if (
            response.http.status === 400 &&
            result.data === undefined &&
            errors.length > 0 &&
            errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))
          )
            response.http.status = requestErrorStatus(type);
        },
      };
    },
  };
}
