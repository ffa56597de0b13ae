import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for an allow-list of origins, with credentials (the session cookie). Other origins get no
 * CORS headers, so browsers refuse their reads. Returns false when it answered the request itself
 * (a preflight), true when the request goes on.
 */
export function cors(allowed: string[]) {
  const origins = new Set(allowed);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    res.appendHeader('Vary', 'Origin');
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader(
          'Access-Control-Allow-Headers',
          req.headers['access-control-request-headers'] ??
            'content-type, authorization, apollo-require-preflight',
        );
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return false;
    }
    return true;
  };
}
