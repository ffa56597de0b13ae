// @ts-check
// Keeps a service running as Kubernetes keeps a pod's container: one that exits without being
// asked to is started again after a delay that doubles with each quick failure (CrashLoopBackOff),
// and one that keeps failing at start is reported once with its last lines. The runner stays up.
import { say } from './log.mjs';
import { startProcess } from './processes.mjs';

/**
 * @typedef {object} SuperviseOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {number} [initialDelayMs]  the first restart's delay; doubled per failure in a row. Default 1000
 * @property {number} [maxDelayMs]      the longest delay between restarts. Default 30000
 * @property {number} [healthyAfterMs]  a run this long resets the delay and the count. Default 10000
 * @property {number} [reportAfter]     failures in a row before the service is reported. Default 3
 * @property {number} [tailLines]       lines of its output kept for that report. Default 20
 */

/**
 * @typedef {object} Supervised
 * @property {string} name
 * @property {() => import('./processes.mjs').Managed} current  the process running now (or last)
 * @property {() => number} restarts  how many times it was started again
 * @property {() => Promise<void>} stop  stops it and any restart to come; safe to call twice
 */

/**
 * Starts `command` as the service `name` (output prefixed) and restarts it whenever it exits
 * until `stop` is called.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {SuperviseOptions} [options]
 * @returns {Supervised}
 */
export function supervise(name, command, args, options = {}) {
  const { initialDelayMs = 1000, maxDelayMs = 30_000, healthyAfterMs = 10_000 } = options;
  const { reportAfter = 3, tailLines = 20 } = options;
  /** @type {string[]} */
  const tail = [];
  const keep = (/** @type {string} */ line) => {
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
  };
  let failures = 0;
  let restarts = 0;
  let reported = false;
  /** @type {Promise<void> | undefined} */
  let stopping;
  /** @type {NodeJS.Timeout | undefined} */
  let restartTimer;
  /** @type {NodeJS.Timeout | undefined} */
  let healthyTimer;
  /** @type {import('./processes.mjs').Managed} */
  let current;

  const launch = () => {
    restartTimer = undefined;
    const { env, cwd } = options;
    const proc = startProcess(name, command, args, { env, cwd, output: 'prefixed', onLine: keep });
    current = proc;
    say(`${name}: process group ${proc.pid}`);
    healthyTimer = setTimeout(() => {
      if (reported) say(`${name}: running again (${Math.round(healthyAfterMs / 1000)} s without failing)`);
      failures = 0;
      reported = false;
    }, healthyAfterMs);
    void proc.exited.then((code) => {
      clearTimeout(healthyTimer);
      if (stopping) return;
      failures++;
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (failures - 1));
      const how = proc.signal ? `signal ${proc.signal}` : `code ${code}`;
      say(`${name} exited unexpectedly (${how}); restarting in ${delay} ms (failure ${failures} in a row)`);
      if (failures >= reportAfter && !reported) {
        reported = true;
        say(`${name} keeps failing (${failures} times in a row); its last lines:`);
        for (const line of tail) say(`  ${name} | ${line}`);
      }
      restartTimer = setTimeout(() => {
        restarts++;
        launch();
      }, delay);
    });
  };
  launch();

  return {
    name,
    current: () => current,
    restarts: () => restarts,
    stop: () => {
      stopping ??= (async () => {
        clearTimeout(restartTimer);
        clearTimeout(healthyTimer);
        await current.stop();
      })();
      return stopping;
    },
  };
}
