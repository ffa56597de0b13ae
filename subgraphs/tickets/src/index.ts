export type { TicketsService, TicketsServiceOptions } from './createTicketsService';
export { createTicketsService } from './createTicketsService';
export { sdl } from './sdl';
export type { TicketsSettings } from './settings';
export { readTicketsSettings } from './settings';
