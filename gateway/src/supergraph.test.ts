import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, readRoverConfig, SUPERGRAPH_FILE } from './composeSupergraph';

// Issue 4, point 6: rover.yaml composes without errors, and what is committed is fresh.
// When this fails, run `npm run supergraph` and commit the changed .graphql files.

const config = readRoverConfig();

test('rover.yaml pins federation_version to the composition library in use', () => {
  const { version } = require('@apollo/composition/package.json') as { version: string };
  expect(config.federationVersion).toBe(`=${version}`);
});

test.each(config.subgraphs.map((s) => [s.name, s] as const))(
  'the committed SDL of subgraph %s equals what it serves as _service { sdl }',
  async (_name, subgraph) => {
    // Convention: a subgraph's SDL file sits in its workspace, whose src/sdl.ts prints it.
    const { sdl } = require(path.join(path.dirname(subgraph.schemaFile), 'src', 'sdl.ts')) as {
      sdl: () => Promise<string>;
    };
    expect(readFileSync(subgraph.schemaFile, 'utf8')).toBe(await sdl());
  },
);

test('rover.yaml composes without errors into the committed supergraph.graphql', () => {
  expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
});
