import { type Connection, Schema } from 'mongoose';
import { connectMongo, DEFAULT_MAX_TIME_MS, ensureIndexes, isDuplicateKeyError } from './mongo';
import { testDatabaseName } from './testing';

// The MongoDB-compatible server of this machine (FerretDB locally), through mongoose: the
// guarantees every service's exclusivity rules stand on.
const uri = process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017';

interface Account {
  email: string;
  name?: string;
}

let connection: Connection;

beforeAll(async () => {
  connection = await connectMongo({ uri, dbName: testDatabaseName('kit_mongo') });
  connection.model<Account>(
    'Account',
    new Schema<Account>({ email: { type: String, required: true, unique: true }, name: String }),
  );
  await ensureIndexes(connection);
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const Accounts = () => connection.model<Account>('Account');

test('creates, reads, updates and deletes a document', async () => {
  const created = await Accounts().create({ email: 'crud@example.com', name: 'Ada' });
  expect((await Accounts().findById(created._id).lean())?.name).toBe('Ada');

  await Accounts().updateOne({ _id: created._id }, { $set: { name: 'Grace' } });
  expect((await Accounts().findById(created._id).lean())?.name).toBe('Grace');

  await Accounts().deleteOne({ _id: created._id });
  expect(await Accounts().findById(created._id)).toBeNull();
});

test('a unique index refuses a duplicate insert with code 11000', async () => {
  await Accounts().create({ email: 'dup@example.com' });
  const err = await Accounts()
    .create({ email: 'dup@example.com' })
    .catch((e: unknown) => e);
  expect(isDuplicateKeyError(err)).toBe(true);
  expect(await Accounts().countDocuments({ email: 'dup@example.com' })).toBe(1);
});

test('20 concurrent inserts of one key give exactly one winner', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      Accounts().create({ email: 'race@example.com', name: `racer ${i}` }),
    ),
  );
  const winners = results.filter((r) => r.status === 'fulfilled');
  const losers = results.filter((r) => r.status === 'rejected');
  expect(winners).toHaveLength(1);
  expect(losers.every((r) => isDuplicateKeyError(r.reason))).toBe(true);
  expect(await Accounts().countDocuments({ email: 'race@example.com' })).toBe(1);
});

test('every read is bounded by maxTimeMS unless the query sets its own', async () => {
  await Accounts().create({ email: 'bounded@example.com' });
  const find = Accounts().find({ email: 'bounded@example.com' });
  expect(await find.lean()).toHaveLength(1);
  expect(find.getOptions().maxTimeMS).toBe(DEFAULT_MAX_TIME_MS);
  // A limit of its own, long enough that a busy machine never trips it (the default is 5 s).
  const count = Accounts().countDocuments({}).maxTimeMS(9_000);
  await count;
  expect(count.getOptions().maxTimeMS).toBe(9_000);
});
