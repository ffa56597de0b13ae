import type { mongo } from 'mongoose';
import { InsertBatcher } from './InsertBatcher';
import { isDuplicateKeyError } from './mongo';
import { useMonitoredConnection } from './testing';

// Against this machine's MongoDB-compatible server (FerretDB locally): the exclusivity rules of
// orders (one lock per ticket, one slot per order) rest on each caller learning its own outcome.

interface Claim {
  _id: string;
  by: string;
}

const db = useMonitoredConnection('kit_insert_batcher');
let claims: mongo.Collection<Claim>;
beforeAll(() => {
  claims = db.connection().collection<Claim>('claims');
});

/** Counts the insert commands the driver sends while `work` runs. */
const insertCommands = (work: () => Promise<unknown>) => db.commandsSent('insert', work);

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
