import { runService } from '@ticketing/kit';
import { createTicketsService } from './createTicketsService';
import { readTicketsSettings } from './settings';

runService('tickets', readTicketsSettings, (settings, logger) => createTicketsService({ settings, logger }));
