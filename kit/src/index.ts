export type { Logger, LoggerOptions } from './logger';
export { createLogger } from './logger';
export type { MongoOptions } from './mongo';
export { connectMongo, ensureIndexes, isDuplicateKeyError } from './mongo';
export type { ShutdownOptions } from './Shutdown';
export { Shutdown } from './Shutdown';
export type { Parser } from './settings';
export { bool, int, list, oneOf, optionalStr, readSettings, SettingsError, str, url } from './settings';
export { testDatabaseName } from './testing';
