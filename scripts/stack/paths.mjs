// @ts-check
// Where the runner keeps things: all inside the repository, all ignored by git.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Go-built tools (FerretDB launcher, stripe-mock). Override with TICKETING_CACHE_DIR. */
export const CACHE_DIR = process.env.TICKETING_CACHE_DIR ?? path.join(ROOT, '.cache');
export const BIN_DIR = path.join(CACHE_DIR, 'bin');
/** Data of the components the runner starts (survives restarts). Override with TICKETING_DATA_DIR. */
export const DATA_DIR = process.env.TICKETING_DATA_DIR ?? path.join(ROOT, '.data');
export const LOG_DIR = path.join(DATA_DIR, 'logs');
