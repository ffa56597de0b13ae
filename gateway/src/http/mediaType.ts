/** The two media types of a GraphQL-over-HTTP answer, in Apollo Server's order of preference. */
export const GraphQLMediaType = {
  /** The legacy type: a GraphQL response to a well-formed request is HTTP 200, errors or not. */
  JSON: 'application/json',
  /** The spec's own type: request errors are 4xx, and the body is a GraphQL response whatever the status. */
  GRAPHQL_RESPONSE: 'application/graphql-response+json',
} as const;
export type GraphQLMediaType = (typeof GraphQLMediaType)[keyof typeof GraphQLMediaType];

const OFFERED: GraphQLMediaType[] = [GraphQLMediaType.JSON, GraphQLMediaType.GRAPHQL_RESPONSE];

/** The Content-Type header of an answer in `type`. */
export const contentTypeOf = (type: GraphQLMediaType) => `${type}; charset=utf-8`;

interface Range {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

/**
 * The media type an Accept header asks for, negotiated as Apollo Server does (the `negotiator`
 * package): the highest q, then the most specific range, then the range listed first, then
 * application/json. No header (or `*\/*`) is application/json; null when neither is acceptable.
 * The gateway answers its own refusals (limits, authentication) in the same type Apollo Server
 * would, so that a client reads every answer the same way.
 */
export function negotiateMediaType(accept: string | null | undefined): GraphQLMediaType | null {
  if (!accept) return GraphQLMediaType.JSON;
  const ranges = accept
    .split(',')
    .map(parseRange)
    .filter((r): r is Range => r !== null);
  let best: { type: GraphQLMediaType; q: number; specificity: number; order: number } | undefined;
  for (const offered of OFFERED) {
    const [type, subtype] = offered.split('/') as [string, string];
    let match: { q: number; specificity: number; order: number } | undefined;
    for (const range of ranges) {
      const specificity =
        (range.type === type ? 2 : range.type === '*' ? 0 : -1) +
        (range.subtype === subtype ? 1 : range.subtype === '*' ? 0 : -10);
      if (specificity < 0) continue;
      if (
        !match ||
        specificity > match.specificity ||
        (specificity === match.specificity && range.q > match.q)
      )
        match = { q: range.q, specificity, order: range.order };
    }
    if (!match || match.q <= 0) continue;
    if (
      !best ||
      match.q > best.q ||
      (match.q === best.q && match.specificity > best.specificity) ||
      (match.q === best.q && match.specificity === best.specificity && match.order < best.order)
    )
      best = { type: offered, ...match };
  }
  return best?.type ?? null;
}

function parseRange(text: string, order: number): Range | null {
  const [mediaRange = '', ...params] = text.split(';').map((part) => part.trim());
  const [type, subtype] = mediaRange.toLowerCase().split('/');
  if (!type || !subtype) return null;
  let q = 1;
  for (const param of params) {
    const [name, value] = param.split('=').map((s) => s.trim());
    if (name?.toLowerCase() === 'q') q = Number.parseFloat(value ?? '1');
  }
  return { type, subtype, q: Number.isFinite(q) ? q : 0, order };
}
