// `npm run supergraph`: composes rover.yaml's subgraphs into the committed supergraph.graphql.
import { writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from './composeSupergraph';

try {
  writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
  process.stdout.write(`wrote ${SUPERGRAPH_FILE}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
