import net from 'node:net';

/**
 * A port nothing listens on, picked below Linux's ephemeral range (32768-60999): a port taken from
 * `listen(0)` and closed again can be handed to any other process's `listen(0)` (a parallel test
 * file's stack) before our service binds it; a port outside that range can only collide with
 * another pick like this one, at random. `taken` holds the picks of one caller that are not bound
 * yet, so a caller asking for several ports never gets the same one twice.
 */
export async function freePort(taken: Set<number> = new Set()): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const server = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((r) => server.close(r));
      taken.add(port);
      return port;
    }
  }
}
