import type http from 'node:http';
import type { Readiness } from '@ticketing/kit';
import { IDENTITY_HEADER, signIdentity } from '@ticketing/kit/auth';

/**
 * GET /readyz: ready (200) while at least one subgraph answers, since the gateway then serves that
 * part of the graph (the rest answers SERVICE_UNAVAILABLE); 503 only when none does. The body names
 * the subgraphs down and the gateway's own dependencies (Redis), checked live.
 */
export async function answerReadiness(
  res: http.ServerResponse,
  subgraphs: Map<string, string>,
  internalKey: string,
  dependencies: Readiness,
): Promise<void> {
  const [problems, own] = await Promise.all([checkSubgraphs(subgraphs, internalKey), dependencies.report()]);
  const down = [...problems.keys()];
  const ready = subgraphs.size > down.length;
  const body = JSON.stringify({
    ready,
    down,
    problems: [...problems].map(([name, problem]) => `${name}: ${problem}`),
    dependencies: own.checks,
  });
  res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(body);
}

/** Every subgraph asked `{ __typename }` as an anonymous caller within 2 s; what failed, by name. */
async function checkSubgraphs(
  subgraphs: Map<string, string>,
  internalKey: string,
): Promise<Map<string, string>> {
  const identity = signIdentity({ identity: null }, internalKey);
  const results = await Promise.all(
    [...subgraphs].map(async ([name, url]): Promise<[string, string | null]> => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
          body: '{"query":"{ __typename }"}',
          signal: AbortSignal.timeout(2_000),
        });
        return [name, res.ok ? null : `HTTP ${res.status}`];
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        return [name, cause ?? (err instanceof Error ? err.message : String(err))];
      }
    }),
  );
  return new Map(results.filter((r): r is [string, string] => r[1] !== null));
}
