export type { EmailWorker, EmailWorkerOptions } from './createEmailWorker';
export { createEmailWorker } from './createEmailWorker';
export type { EmailSettings } from './settings';
export { readEmailSettings } from './settings';
