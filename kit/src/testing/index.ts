// Helpers for tests, as @ticketing/kit/testing; never built, never imported by production code.
export { eventually } from './eventually';
export { freePort } from './freePort';
export { testDatabaseName } from './testDatabaseName';
export type { MonitoredConnection } from './useMonitoredConnection';
export { useMonitoredConnection } from './useMonitoredConnection';
export type { TestDatabase } from './useTestDatabase';
export { useTestDatabase } from './useTestDatabase';
