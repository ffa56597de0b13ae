import { runService } from '@ticketing/kit';
import { createOrdersService } from './createOrdersService';
import { readOrdersSettings } from './settings';

runService('orders', readOrdersSettings, (settings, logger) => createOrdersService({ settings, logger }));
