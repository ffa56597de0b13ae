export type { OrdersService, OrdersServiceOptions } from './createOrdersService';
export { createOrdersService } from './createOrdersService';
export { sdl } from './sdl';
export type { OrdersSettings } from './settings';
export { readOrdersSettings } from './settings';
