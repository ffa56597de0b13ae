// @ts-check
// Test files make JetStream streams of their own (`TEST_…`, events/src/testing/testStream.ts) and
// drop them when they finish; a run that is killed (Ctrl-C, a mutation-testing sandbox, a crash)
// leaves them behind, and JetStream keeps reserving their storage. Each test run removes the ones
// that are surely abandoned: older than any test file lives.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Older than this, a test stream belongs to no running test. */
const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

/**
 * Deletes `TEST_*` streams created more than two hours ago; returns how many. Never throws: a
 * failed clean-up must not fail the run it precedes.
 * @param {string} natsUrl
 */
export async function dropStaleTestStreams(natsUrl) {
  let dropped = 0;
  const nc = await connect({ servers: natsUrl }).catch(() => undefined);
  if (!nc) return dropped;
  try {
    const jsm = await jetstreamManager(nc);
    const cutoff = Date.now() - STALE_AFTER_MS;
    for await (const info of jsm.streams.list()) {
      if (!info.config.name.startsWith('TEST_') || Date.parse(info.created) > cutoff) continue;
      if (await jsm.streams.delete(info.config.name).catch(() => false)) dropped++;
    }
  } catch {
    // best effort
  } finally {
    await nc.close();
  }
  return dropped;
}
