import { useTestDatabase } from '../testing';
import { IdempotencyKeys, registerIdempotencyRecords } from './IdempotencyKeys';
import { idempotencyKeyOf } from './idempotencyKey';

// The key store on this machine's MongoDB-compatible server (FerretDB locally, which has no TTL
// index: ensureIndexes creates the plain index there, and expiry is the store's own).
const database = useTestDatabase('kit_idempotency', (connection) => ({
  records: registerIdempotencyRecords(connection),
}));
let clock = new Date('2026-12-01T10:00:00Z');
const now = () => clock;

const call = (key: string, input: Record<string, unknown>, resultId: string) => ({
  operation: 'createThing',
  scope: 'user-1',
  key,
  input,
  resultId,
});

test('an expiresAt index exists (TTL on MongoDB; FerretDB refuses the TTL option and gets a plain one)', async () => {
  const indexes = await database.models.records.collection.indexes();
  expect(indexes.map((i) => i.key)).toContainEqual({ expiresAt: 1 });
});

test('the first call claims the key; a retry with the same input replays the first resultId', async () => {
  const keys = new IdempotencyKeys(database.models.records, { now });
  const first = await keys.claim({ ...call('k-replay', { title: 'A', price: 1 }, 'id-1'), payload: 'p' });
  const retry = await keys.claim(call('k-replay', { price: 1, title: 'A' }, 'id-2'));
  expect(first).toEqual({ replay: false, resultId: 'id-1', payload: 'p' });
  expect(retry).toEqual({ replay: true, resultId: 'id-1', payload: 'p' });
});

test('the same key with other input is IDEMPOTENCY_KEY_REUSED naming each differing field', async () => {
  const keys = new IdempotencyKeys(database.models.records, { now });
  await keys.claim(call('k-differs', { title: 'A', price: 1 }, 'id-1'));
  const refused = await keys.claim(call('k-differs', { title: 'B', price: 1 }, 'id-2')).catch((e) => e);
  expect(refused.extensions).toMatchObject({
    code: 'IDEMPOTENCY_KEY_REUSED',
    fields: [{ field: 'title', message: 'differs from the first request with this idempotency key' }],
  });
});

test('keys are scoped: another user or another mutation with the same key is a first call', async () => {
  const keys = new IdempotencyKeys(database.models.records, { now });
  await keys.claim(call('k-scope', { title: 'A' }, 'id-1'));
  expect((await keys.claim({ ...call('k-scope', { title: 'A' }, 'id-2'), scope: 'user-2' })).replay).toBe(
    false,
  );
  expect((await keys.claim({ ...call('k-scope', { title: 'A' }, 'id-3'), operation: 'other' })).replay).toBe(
    false,
  );
});

test('ten concurrent calls with one key: exactly one is first, all get its resultId', async () => {
  const keys = new IdempotencyKeys(database.models.records, { now });
  const claims = await Promise.all(
    Array.from({ length: 10 }, (_, i) => keys.claim(call('k-race', { title: 'A' }, `id-${i}`))),
  );
  expect(claims.filter((c) => !c.replay)).toHaveLength(1);
  expect(new Set(claims.map((c) => c.resultId)).size).toBe(1);
});

test('past the retention a key is new again (even where no TTL monitor deleted it), and purged', async () => {
  const keys = new IdempotencyKeys(database.models.records, { now, retentionMs: 60_000 });
  await keys.claim(call('k-expiry', { title: 'A' }, 'id-1'));
  clock = new Date(clock.getTime() + 60_001);
  const later = await keys.claim(call('k-expiry', { title: 'B' }, 'id-2'));
  expect(later).toEqual({ replay: false, resultId: 'id-2', payload: null });
  clock = new Date(clock.getTime() + 60_001);
  expect(await keys.purgeExpired()).toBeGreaterThanOrEqual(1);
  expect(await database.models.records.countDocuments({ expiresAt: { $lte: clock } })).toBe(0);
});

describe('idempotencyKeyOf', () => {
  const ctx = (header?: string) => ({
    req: { headers: header === undefined ? {} : { 'idempotency-key': header } },
  });

  test('the argument or the header; none is null', () => {
    expect(idempotencyKeyOf(ctx(), 'a1')).toBe('a1');
    expect(idempotencyKeyOf(ctx('h1'), undefined)).toBe('h1');
    expect(idempotencyKeyOf(ctx('same'), 'same')).toBe('same');
    expect(idempotencyKeyOf(ctx(), null)).toBeNull();
  });

  test.each([
    ['too long', 'x'.repeat(256)],
    ['empty', ''],
    ['with a space', 'a b'],
    ['not ASCII', 'clé'],
  ])('%s is BAD_USER_INPUT on idempotencyKey', (_what, key) => {
    const refused = (() => {
      try {
        return idempotencyKeyOf(ctx(), key);
      } catch (err) {
        return err as { extensions: unknown };
      }
    })();
    expect(refused).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'idempotencyKey' }] },
    });
  });

  test('an argument that differs from the header is refused', () => {
    expect(() => idempotencyKeyOf(ctx('h1'), 'a1')).toThrow(/differs from the Idempotency-Key header/);
  });
});
