// @ts-check
export default async function globalTeardown() {
  const g = /** @type {{ __ticketingStack?: { stop: () => Promise<void> } }} */ (globalThis);
  await g.__ticketingStack?.stop();
}
