/** What a check returns while its condition does not hold yet. */
type NotYet = undefined | null | false;

/**
 * Polls `check` until it returns something other than undefined, null or false, and resolves with
 * it; fails after `ms` (a safety net for a test, not an assertion on time).
 */
export async function eventually<T>(check: () => Promise<T | NotYet> | T | NotYet, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
