import { spawn } from 'node:child_process';
import path from 'node:path';
import { Shutdown } from './Shutdown';

test('runs every step once, newest first, even when one fails', async () => {
  const ran: string[] = [];
  const shutdown = new Shutdown()
    .add('database', () => ran.push('database'))
    .add('broken', () => {
      throw new Error('boom');
    })
    .add('server', async () => ran.push('server'));

  await Promise.all([shutdown.run(), shutdown.run()]);
  await shutdown.run();

  expect(ran).toEqual(['server', 'database']);
});

test('a step that hangs is abandoned after its timeout', async () => {
  const ran: string[] = [];
  const shutdown = new Shutdown({ stepTimeoutMs: 20 })
    .add('after', () => ran.push('after'))
    .add('hangs', () => new Promise(() => {}));
  await shutdown.run();
  expect(ran).toEqual(['after']);
});

test('a stop signal sent twice (runner and npm) still stops cleanly', async () => {
  const register = path.join(__dirname, '..', '..', 'scripts', 'source', 'register.cjs');
  const script = `
    const { Shutdown } = require(${JSON.stringify(path.join(__dirname, 'Shutdown.ts'))});
    new Shutdown()
      .add('slow step', () => new Promise((r) => setTimeout(() => { console.log('cleaned up'); r(); }, 300)))
      .onSignals();
    console.log('ready');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-r', register, '-e', script]);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  while (!output.includes('ready')) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toMatch(/cleaned up/);
});
