import mongoose, { type Connection, type mongo } from 'mongoose';
import { FindByIdBatcher } from './FindByIdBatcher';
import { testDatabaseName } from './testing';

// Against this machine's MongoDB-compatible server (FerretDB locally): orders' cooldown reads,
// many at once under a rush of buyers, each caller answered with its own document.
const uri = process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017';

interface Cooldown {
  _id: string;
  until: Date;
}

let connection: Connection;
let cooldowns: mongo.Collection<Cooldown>;

beforeAll(async () => {
  // monitorCommands: the test counts the commands sent.
  connection = await mongoose
    .createConnection(uri, { dbName: testDatabaseName('kit_find_batcher'), monitorCommands: true })
    .asPromise();
  cooldowns = connection.db?.collection<Cooldown>('cooldowns') as mongo.Collection<Cooldown>;
  await cooldowns.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `b${i}:t`, until: new Date(i) })));
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

/** Counts the find commands the driver sends while `work` runs. */
async function findCommands(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const client = connection.getClient();
  const seen = (event: mongo.CommandStartedEvent) => {
    if (event.commandName === 'find') count++;
  };
  client.on('commandStarted', seen);
  try {
    await work();
  } finally {
    client.off('commandStarted', seen);
  }
  return count;
}

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
  const broken = new FindByIdBatcher(
    connection.db?.collection<Cooldown>('$bad name') as mongo.Collection<Cooldown>,
  );
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
