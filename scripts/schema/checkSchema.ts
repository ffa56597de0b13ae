import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiSchemaOf } from './apiSchema';
import { CHANGELOG, isDeclared, unreleasedSection } from './changelog';
import { composeRover, ROOT } from './composeRover';
import { diffSchemas, type SchemaChange, type SchemaDiff } from './diffSchemas';

export interface SchemaCheckOptions {
  /** The repository. Default: this one. */
  root?: string;
  /** The git ref whose supergraph.graphql is the base. Default SCHEMA_BASE, else main, else origin/main. */
  base?: string;
}

export interface SchemaCheck {
  /** The ref compared with, e.g. `main`. */
  base: string;
  /** @apollo/composition's version. */
  composedWith: string;
  diff: SchemaDiff;
  /** Breaking changes the changelog's Unreleased section does not declare: the check fails on them. */
  undeclared: SchemaChange[];
  /** The committed supergraph.graphql is not what rover.yaml composes (`npm run supergraph`). */
  stale: boolean;
}

/**
 * `npm run schema:check`: rover.yaml composed with the pinned @apollo/composition, its API schema
 * compared with that of supergraph.graphql on the base branch, every change listed as breaking,
 * dangerous or safe, and each breaking one looked up in docs/CHANGELOG.md's Unreleased section.
 */
export function checkSchema(options: SchemaCheckOptions = {}): SchemaCheck {
  const root = options.root ?? ROOT;
  const composition = composeRover(path.join(root, 'rover.yaml'));
  const base = baseSupergraph(root, options.base ?? process.env.SCHEMA_BASE);
  const diff = diffSchemas(apiSchemaOf(base.sdl), apiSchemaOf(composition.supergraphSdl));
  const unreleased = unreleasedSection(path.join(root, CHANGELOG));
  return {
    base: base.ref,
    composedWith: composition.version,
    diff,
    undeclared: diff.breaking.filter((change) => !isDeclared(change, unreleased)),
    stale: readFileSync(path.join(root, 'supergraph.graphql'), 'utf8') !== composition.supergraphSdl,
  };
}

/** supergraph.graphql as the base ref has it; the first of main and origin/main that exists by default. */
export function baseSupergraph(root: string, ref?: string): { ref: string; sdl: string } {
  const candidates = ref ? [ref] : ['main', 'origin/main'];
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const candidate of candidates) {
    try {
      git('rev-parse', '--verify', '--quiet', `${candidate}^{commit}`);
    } catch {
      continue;
    }
    return { ref: candidate, sdl: git('show', `${candidate}:supergraph.graphql`) };
  }
  throw new Error(
    `no base to compare with: ${candidates.join(' or ')} is not a git ref here (fetch main, or set SCHEMA_BASE=<ref>)`,
  );
}

/** The check as `npm run schema:check` prints it. */
export function formatCheck(check: SchemaCheck): string {
  const lines = [
    `rover.yaml composed with @apollo/composition ${check.composedWith}; API schema compared with ${check.base}:supergraph.graphql`,
  ];
  const section = (title: string, changes: SchemaChange[], mark: (c: SchemaChange) => string) => {
    lines.push(`${title} (${changes.length})${changes.length ? ':' : ''}`);
    for (const change of changes) lines.push(`  ${mark(change)}${change.type}: ${change.description}`);
  };
  section('breaking', check.diff.breaking, (c) =>
    check.undeclared.includes(c) ? 'UNDECLARED ' : 'declared ',
  );
  section('dangerous', check.diff.dangerous, () => '');
  section('safe', check.diff.safe, () => '');
  if (check.stale)
    lines.push('note: supergraph.graphql is not what rover.yaml composes; run `npm run supergraph`');
  lines.push(
    check.undeclared.length
      ? `FAILED: ${check.undeclared.length} breaking change(s) not declared. Quote each description above under "## Unreleased" in ${CHANGELOG}, saying what integrators must do.`
      : 'OK: no undeclared breaking change',
  );
  return `${lines.join('\n')}\n`;
}
