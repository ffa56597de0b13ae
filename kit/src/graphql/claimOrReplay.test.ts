import { useTestDatabase } from '../testing';
import { claimOrReplay, type MaybeIdempotentCall } from './claimOrReplay';
import { IdempotencyKeys, registerIdempotencyRecords } from './IdempotencyKeys';

const database = useTestDatabase('kit_claim_or_replay', registerIdempotencyRecords);
let keys: IdempotencyKeys;

beforeAll(() => {
  keys = new IdempotencyKeys(database.models);
});

const call = (key: string | null, resultId: string, title = 'A'): MaybeIdempotentCall => ({
  operation: 'createThing',
  scope: 'user-1',
  key,
  input: { title },
  resultId,
  payload: `payload of ${resultId}`,
});

/** A replay that finds what the first call made in `made`, recording what it was asked. */
const lookup = (made: Map<string, string>, asked: string[]) => async (first: { resultId: string }) => {
  asked.push(first.resultId);
  return made.get(first.resultId) ?? null;
};

test('without a key nothing is claimed nor replayed: the call goes on under its own id and payload', async () => {
  const asked: string[] = [];
  const claim = await claimOrReplay(keys, call(null, 'id-1'), lookup(new Map(), asked));
  expect(claim).toEqual({ replay: false, resultId: 'id-1', payload: 'payload of id-1', replayed: null });
  // The same call again is no retry: no key.
  expect((await claimOrReplay(keys, call(null, 'id-2'), lookup(new Map(), asked))).resultId).toBe('id-2');
  expect(asked).toEqual([]);
});

test('a first call claims the key and goes on; a retry gets what the first call made', async () => {
  const asked: string[] = [];
  const made = new Map<string, string>();
  const first = await claimOrReplay(keys, call('k-made', 'id-1'), lookup(made, asked));
  expect(first).toEqual({ replay: false, resultId: 'id-1', payload: 'payload of id-1', replayed: null });
  expect(asked).toEqual([]);
  made.set('id-1', 'the thing');
  const retry = await claimOrReplay(keys, call('k-made', 'id-2'), lookup(made, asked));
  expect(retry).toEqual({
    replay: true,
    resultId: 'id-1',
    payload: 'payload of id-1',
    replayed: 'the thing',
  });
  expect(asked).toEqual(['id-1']);
});

test("a retry of a first call that made nothing goes on under that call's id and payload", async () => {
  await claimOrReplay(keys, call('k-died', 'id-1'), lookup(new Map(), []));
  const retry = await claimOrReplay(keys, call('k-died', 'id-2'), lookup(new Map(), []));
  expect(retry).toEqual({ replay: true, resultId: 'id-1', payload: 'payload of id-1', replayed: null });
});

test('the same key with other input is IDEMPOTENCY_KEY_REUSED, nothing looked up', async () => {
  const asked: string[] = [];
  await claimOrReplay(keys, call('k-other', 'id-1'), lookup(new Map(), asked));
  await expect(
    claimOrReplay(keys, call('k-other', 'id-2', 'B'), lookup(new Map(), asked)),
  ).rejects.toMatchObject({
    extensions: { code: 'IDEMPOTENCY_KEY_REUSED', fields: [{ field: 'title' }] },
  });
  expect(asked).toEqual([]);
});
