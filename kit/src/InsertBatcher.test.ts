import mongoose, { type Connection, type mongo } from 'mongoose';
import { InsertBatcher } from './InsertBatcher';
import { isDuplicateKeyError } from './mongo';
import { testDatabaseName } from './testing';

// Against this machine's MongoDB-compatible server (FerretDB locally): the exclusivity rules of
// orders (one lock per ticket, one slot per order) rest on each caller learning its own outcome.
const uri = process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017';

interface Claim {
  _id: string;
  by: string;
}

let connection: Connection;
let claims: mongo.Collection<Claim>;

beforeAll(async () => {
  // monitorCommands: the test counts the commands sent.
  connection = await mongoose
    .createConnection(uri, { dbName: testDatabaseName('kit_insert_batcher'), monitorCommands: true })
    .asPromise();
  claims = connection.db?.collection<Claim>('claims') as mongo.Collection<Claim>;
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

/** Counts the insert commands the driver sends while `work` runs. */
async function insertCommands(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const client = connection.getClient();
  const seen = (event: mongo.CommandStartedEvent) => {
    if (event.commandName === 'insert') count++;
  };
  client.on('commandStarted', seen);
  try {
    await work();
  } finally {
    client.off('commandStarted', seen);
  }
  return count;
}

test('of many buyers racing for the same keys, exactly one per key wins and each learns its own outcome', async () => {
  const batcher = new InsertBatcher(claims);
  const keys = Array.from({ length: 40 }, (_, i) => `race-${i}`);
  // Every key asked for by three callers at once.
  const callers = keys.flatMap((key) => ['a', 'b', 'c'].map((by) => ({ _id: key, by })));
  const outcomes = await Promise.all(
    callers.map((doc) =>
      batcher.insert(doc).then(
        () => 'won' as const,
        (err: unknown) => (isDuplicateKeyError(err) ? ('taken' as const) : err),
      ),
    ),
  );
  expect(outcomes.filter((o) => o === 'won')).toHaveLength(keys.length);
  expect(outcomes.filter((o) => o === 'taken')).toHaveLength(keys.length * 2);
  // The winner of each key is the caller whose promise resolved.
  const stored = await claims.find({ _id: { $regex: /^race-/ } }).toArray();
  const winners = new Set(callers.filter((_, i) => outcomes[i] === 'won').map((c) => `${c._id}/${c.by}`));
  expect(new Set(stored.map((c) => `${c._id}/${c.by}`))).toEqual(winners);
});

test('concurrent inserts share commands; a lone insert goes at once', async () => {
  const batcher = new InsertBatcher(claims);
  const many = Array.from({ length: 100 }, (_, i) => ({ _id: `shared-${i}`, by: 'x' }));
  const commands = await insertCommands(() => Promise.all(many.map((doc) => batcher.insert(doc))));
  // The first goes alone; the 99 asked for while it was on its way go together.
  expect(commands).toBeLessThanOrEqual(3);
  expect(await claims.countDocuments({ by: 'x' })).toBe(100);

  expect(await insertCommands(() => batcher.insert({ _id: 'alone', by: 'y' }))).toBe(1);
  expect(await claims.findOne({ _id: 'alone' })).toEqual({ _id: 'alone', by: 'y' });
});

test('a batch is at most maxBatch documents', async () => {
  const batcher = new InsertBatcher(claims, { maxBatch: 10 });
  const docs = Array.from({ length: 41 }, (_, i) => ({ _id: `bounded-${i}`, by: 'z' }));
  const commands = await insertCommands(() => Promise.all(docs.map((doc) => batcher.insert(doc))));
  expect(commands).toBe(5); // 1 alone, then 10, 10, 10, 10
  expect(await claims.countDocuments({ by: 'z' })).toBe(41);
});
