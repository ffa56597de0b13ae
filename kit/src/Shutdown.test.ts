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
