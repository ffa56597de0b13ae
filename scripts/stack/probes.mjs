// @ts-check
// Health probes that need no npm package, so they work before `npm install`.
import net from 'node:net';

/**
 * Opens a TCP connection, optionally writes a greeting, and resolves with what the peer sends first.
 * @param {string} host
 * @param {number} port
 * @param {{ send?: string, expectData?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<string | null>} the first data received ('' when none was expected), or null
 */
export function tcpExchange(host, port, { send, expectData = false, timeoutMs = 1000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {string | null} */ value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => {
      if (send) socket.write(send);
      if (!expectData) done('');
    });
    socket.once('data', (data) => done(data.toString('utf8')));
  });
}

/** @param {URL} url */
export async function probeTcp(url) {
  return (await tcpExchange(url.hostname, Number(url.port))) !== null;
}

/** Redis answers PING with +PONG (or -NOAUTH when it wants a password: still Redis). */
/** @param {URL} url */
export async function probeRedis(url) {
  const reply = await tcpExchange(url.hostname, Number(url.port || 6379), {
    send: 'PING\r\n',
    expectData: true,
  });
  return reply !== null && (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
}

/** A NATS server greets with INFO; JetStream must be enabled on it. */
/** @param {URL} url */
export async function probeNats(url) {
  const info = await tcpExchange(url.hostname, Number(url.port || 4222), { expectData: true });
  if (info === null || !info.startsWith('INFO ')) return false;
  if (!/"jetstream"\s*:\s*true/.test(info)) {
    throw new Error(`the NATS server at ${url.host} does not have JetStream enabled`);
  }
  return true;
}

/** stripe-mock answers an authenticated list call. */
/** @param {URL} url */
export async function probeStripe(url) {
  try {
    const res = await fetch(new URL('/v1/customers', url), {
      headers: { authorization: 'Bearer sk_test_123' },
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Polls a probe until it passes or the time runs out.
 * @param {() => Promise<boolean>} probe
 * @param {number} timeoutMs
 */
export async function waitFor(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
