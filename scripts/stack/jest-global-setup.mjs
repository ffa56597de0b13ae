// @ts-check
// Tests run against the real infrastructure: find it, or start it and stop it afterwards.
// Fails loudly (never skips) when a component can be neither found nor started.
import { ensureInfra } from './infra.mjs';
import { say } from './log.mjs';
import { dropStaleTestStreams } from './staleTestStreams.mjs';

export default async function globalSetup() {
  const stack = await ensureInfra();
  Object.assign(process.env, stack.settings);
  const dropped = await dropStaleTestStreams(stack.settings.NATS_URL ?? 'nats://127.0.0.1:4222');
  if (dropped) say(`removed ${dropped} test streams left by killed runs`);
  process.env.STRIPE_SECRET_KEY ??= 'sk_test_123';
  /** @type {{ __ticketingStack?: typeof stack }} */ (globalThis).__ticketingStack = stack;
}
