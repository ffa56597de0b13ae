export type { FindByIdBatcherOptions } from './FindByIdBatcher';
export { FindByIdBatcher } from './FindByIdBatcher';
export type { InsertBatcherOptions } from './InsertBatcher';
export { InsertBatcher } from './InsertBatcher';
export { KeyedMutex } from './KeyedMutex';
export type { Logger, LoggerOptions } from './logger';
export { createLogger } from './logger';
export type { MongoOptions } from './mongo';
export { connectMongo, ensureIndexes, isDuplicateKeyError } from './mongo';
export type { ReadinessCheck, ReadinessReport } from './Readiness';
export { Readiness } from './Readiness';
export { RecencyMap } from './RecencyMap';
export { runService } from './runService';
export type { ShutdownOptions } from './Shutdown';
export { Shutdown } from './Shutdown';
export type { Parser } from './settings';
export {
  bool,
  int,
  list,
  oneOf,
  optionalStr,
  readSettings,
  SettingsError,
  secret,
  str,
  url,
} from './settings';
export type { ServiceContext } from './startService';
export { startService } from './startService';
