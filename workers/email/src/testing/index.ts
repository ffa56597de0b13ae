export type { DeliveredMail } from './mailpit';
export { mailpitUrl, mailTo, waitForMail } from './mailpit';
