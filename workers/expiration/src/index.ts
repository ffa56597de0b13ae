export type { ExpirationWorker, ExpirationWorkerOptions, ExpiryJob } from './createExpirationWorker';
export { createExpirationWorker } from './createExpirationWorker';
export type { ExpirationSettings } from './settings';
export { bullPrefix, readExpirationSettings } from './settings';
