import { runService } from '@ticketing/kit';
import { createPaymentsService } from './createPaymentsService';
import { readPaymentsSettings } from './settings';

runService('payments', readPaymentsSettings, (settings, logger) =>
  createPaymentsService({ settings, logger }),
);
