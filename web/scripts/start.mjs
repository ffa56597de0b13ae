// @ts-check
// `npm start` for the web: build when there is no fresh production build, then serve.
// The root runner starts services with NODE_ENV=development; Next's build and server need production.
import { ensureBuild } from './build.mjs';

process.env.NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';
ensureBuild();
await import('./server.mjs');
