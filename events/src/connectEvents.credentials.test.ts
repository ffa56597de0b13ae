import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEvents } from './connectEvents';
import { testStream } from './testing';

// A NATS that requires a password (as in k8s, NATS_URL=nats://ticketing:<password>@nats:4222): a
// private nats-server, never the shared one. nats.js itself ignores a URL's user and password.
const PASSWORD = 'a1b2c3d4e5f6';
let server: ChildProcess;
let port: number;
let storeDir: string;

beforeAll(async () => {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  storeDir = mkdtempSync(join(tmpdir(), 'nats-auth-'));
  server = spawn(
    '/usr/sbin/nats-server',
    [
      '-js',
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-sd',
      storeDir,
      '--user',
      'ticketing',
      '--pass',
      PASSWORD,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    server.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
});

afterAll(async () => {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
  rmSync(storeDir, { recursive: true, force: true });
});

test('signs in with the user and password of its URL', async () => {
  const events = await connectEvents({
    url: `nats://ticketing:${PASSWORD}@127.0.0.1:${port}`,
    stream: testStream('credentials'),
  });
  try {
    expect(events.nc.isClosed()).toBe(false);
    expect((await events.jsm.streams.info(events.stream.name)).config.name).toBe(events.stream.name);
  } finally {
    await events.close();
  }
});

test('a wrong password is refused', async () => {
  await expect(
    connectEvents({ url: `nats://ticketing:wrong@127.0.0.1:${port}`, stream: testStream('credentials') }),
  ).rejects.toThrow(/Authorization/);
});
