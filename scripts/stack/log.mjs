// @ts-check
// Output helpers for the dev-stack runner: one line per event, prefixed by who said it.

const COLORS = [36, 35, 33, 32, 34, 91, 96, 95];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
/** @type {Map<string, number>} */
const assigned = new Map();

/** @param {string} name */
export function prefix(name) {
  if (!assigned.has(name)) assigned.set(name, COLORS[assigned.size % COLORS.length] ?? 36);
  const label = name.padEnd(10);
  return useColor ? `\x1b[${assigned.get(name)}m${label}\x1b[0m|` : `${label}|`;
}

/** @param {string} message */
export function say(message) {
  process.stdout.write(`${prefix('stack')} ${message}\n`);
}

/**
 * Pipes a child's stream to ours line by line, each line prefixed by the child's name.
 * @param {NodeJS.ReadableStream} stream
 * @param {string} name
 * @param {NodeJS.WritableStream} out
 * @param {(line: string) => void} [onLine]  also given each line (the supervisor keeps the last ones)
 */
export function pipePrefixed(stream, name, out, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (/** @type {string} */ chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`${prefix(name)} ${line}\n`);
      onLine?.(line);
    }
  });
  stream.on('end', () => {
    if (!pending) return;
    out.write(`${prefix(name)} ${pending}\n`);
    onLine?.(pending);
  });
}

/** A failure the user can act on: one line naming the component and the fix. */
export class StackError extends Error {
  /**
   * @param {string} component
   * @param {string} problem
   * @param {string} fix
   */
  constructor(component, problem, fix) {
    super(`${component}: ${problem}. Fix: ${fix}`);
    this.component = component;
  }
}
