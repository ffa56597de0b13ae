export type { AdminCommandOptions } from './adminCommand';
export { ADMIN_USAGE, runAdminCommand } from './adminCommand';
export type { UsersService, UsersServiceOptions } from './createUsersService';
export { createUsersService } from './createUsersService';
export { sdl } from './sdl';
export type { UsersSettings } from './settings';
export { readUsersSettings } from './settings';
export { SIGN_IN_FAILED } from './UserResolver';
