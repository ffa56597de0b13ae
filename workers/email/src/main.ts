import { runService } from '@ticketing/kit';
import { createEmailWorker } from './createEmailWorker';
import { readEmailSettings } from './settings';

runService('email', readEmailSettings, async (settings, logger) => {
  const worker = await createEmailWorker({ settings, logger });
  // The SMTP server's host only: SMTP_URL may carry credentials.
  logger.info({ smtp: new URL(settings.SMTP_URL).host }, 'email worker ready');
  return worker;
});
