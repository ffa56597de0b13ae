// Writes this subgraph's SDL to subgraphs/tickets/schema.graphql (rover.yaml points at it).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sdl } from './sdl';

const file = path.join(__dirname, '..', 'schema.graphql');
sdl().then(
  (text) => {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
