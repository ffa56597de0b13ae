import { readFileSync } from 'node:fs';
import { composeSupergraph, readRoverConfig, SUPERGRAPH_FILE } from './composeSupergraph';

// rover.yaml composes without errors, and the committed supergraph.graphql is fresh (each subgraph's
// committed SDL is checked against what it serves in e2e/src/subgraphSchemas.test.ts).
// When this fails, run `npm run supergraph` and commit the changed .graphql files.

const config = readRoverConfig();

test('rover.yaml pins federation_version to the composition library in use', () => {
  const { version } = require('@apollo/composition/package.json') as { version: string };
  expect(config.federationVersion).toBe(`=${version}`);
});

test('rover.yaml composes without errors into the committed supergraph.graphql', () => {
  expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
});
