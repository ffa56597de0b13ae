/**
 * `work`, or a rejection once `ms` have passed: a stop that hangs fails its test in seconds instead
 * of holding the file until jest's timeout (and a mutation run then counts the mutant killed, not
 * timed out, without restarting its jest process).
 */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
