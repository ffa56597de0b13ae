import { runService } from '@ticketing/kit';
import { createExpirationWorker } from './createExpirationWorker';
import { readExpirationSettings } from './settings';

runService('expiration', readExpirationSettings, async (settings, logger) => {
  const worker = await createExpirationWorker({ settings, logger });
  logger.info({ queue: settings.EXPIRATION_QUEUE }, 'expiration worker ready');
  return worker;
});
