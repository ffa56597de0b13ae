import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The generated operation types are committed so builds need no codegen step; this keeps them
// honest: regenerating from supergraph.graphql + the operations must change nothing.
// Fix with `npm run codegen -w @ticketing/web` after the supergraph or an operation changes.
// (The codegen CLI runs as a child process: it loads ESM that jest's CommonJS runtime cannot.)
test('the committed generated GraphQL code is fresh', () => {
  const web = path.resolve(__dirname, '..');
  const committed = path.join(__dirname, 'gql');
  const fresh = mkdtempSync(path.join(os.tmpdir(), 'web-codegen-'));
  try {
    const bin = path.join(web, '..', 'node_modules', '.bin', 'graphql-codegen');
    execFileSync(bin, ['--config', 'codegen.ts'], {
      cwd: web,
      env: { ...process.env, CODEGEN_OUT: `${fresh}/` },
      stdio: 'pipe',
    });
    const names = readdirSync(fresh).sort();
    expect(names).toEqual(readdirSync(committed).sort());
    for (const name of names) {
      const content = readFileSync(path.join(fresh, name), 'utf8');
      expect({ name, content }).toEqual({ name, content: readFileSync(path.join(committed, name), 'utf8') });
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
