// Helpers for tests, as @ticketing/events/testing; never built, never imported by production code.
export { eventually } from './eventually';
export { dropTestStreams, testStream } from './testStream';
export { natsUrl, useTestEvents } from './useTestEvents';
