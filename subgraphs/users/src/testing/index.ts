// Helpers for this package's tests; never built, never imported by production code.
export { startTestUsers, stopTestUsers } from './startTestUsers';
