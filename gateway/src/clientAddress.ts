import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client's address of a request (HTTP or a WebSocket's upgrade), X-Forwarded-For believed only
 * from the proxies `trustProxy` names (Express's "trust proxy" syntax, TRUST_PROXY).
 */
export function clientAddressOf(trustProxy: string): (req: IncomingMessage) => string | undefined {
  const trust = proxyaddr.compile(
    trustProxy
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return (req) => proxyaddr(req, trust) || undefined;
}
