import { runService } from '@ticketing/kit';
import { createUsersService } from './createUsersService';
import { readUsersSettings } from './settings';

runService('users', readUsersSettings, (settings, logger) => createUsersService({ settings, logger }));
