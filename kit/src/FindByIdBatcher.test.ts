import type { mongo } from 'mongoose';
import { FindByIdBatcher } from './FindByIdBatcher';
import { useMonitoredConnection } from './testing';

// Against this machine's MongoDB-compatible server (FerretDB locally): orders' cooldown reads,
// many at once under a rush of buyers, each caller answered with its own document.

interface Cooldown {
  _id: string;
  until: Date;
}

const db = useMonitoredConnection('kit_find_batcher');
let cooldowns: mongo.Collection<Cooldown>;
beforeAll(async () => {
  cooldowns = db.connection().collection<Cooldown>('cooldowns');
  await cooldowns.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `b${i}:t`, until: new Date(i) })));
});

/** Counts the find commands the driver sends while `work` runs. */
const findCommands = (work: () => Promise<unknown>) => db.commandsSent('find', work);

test('100 callers at once, half of them for documents that exist, each get their own answer in a few commands', async () => {
  const batcher = new FindByIdBatcher(cooldowns);
  const ids = Array.from({ length: 100 }, (_, i) => `b${i}:t`);
  let answers: Array<Cooldown | null> = [];
  const commands = await findCommands(async () => {
    answers = await Promise.all(ids.map((id) => batcher.findById(id)));
  });
  expect(answers.slice(0, 50).map((a) => a?.until.getTime())).toEqual(ids.slice(0, 50).map((_, i) => i));
  expect(answers.slice(50)).toEqual(Array(50).fill(null));
  expect(commands).toBeLessThanOrEqual(3);
});

test('one caller alone is answered by its own read at once; the same id asked twice meanwhile, both', async () => {
  const batcher = new FindByIdBatcher(cooldowns);
  expect(await findCommands(() => batcher.findById('b7:t'))).toBe(1);
  const [a, b] = await Promise.all([batcher.findById('b8:t'), batcher.findById('b8:t')]);
  expect([a?._id, b?._id]).toEqual(['b8:t', 'b8:t']);
});

test('a read that fails rejects every caller of its batch with the error, and the next read works', async () => {
  const broken = new FindByIdBatcher(db.connection().collection<Cooldown>('$bad name'));
  const outcomes = await Promise.all(
    ['x', 'y', 'z'].map((id) =>
      broken.findById(id).then(
        () => 'read',
        () => 'rejected',
      ),
    ),
  );
  expect(outcomes).toEqual(['rejected', 'rejected', 'rejected']);
  expect((await new FindByIdBatcher(cooldowns).findById('b1:t'))?._id).toBe('b1:t');
});
