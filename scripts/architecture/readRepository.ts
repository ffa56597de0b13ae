// The repository as checkImports sees it: every workspace's package.json (and the root's) and every
// source file outside node_modules, build output and generated code.
import fs from 'node:fs';
import path from 'node:path';
import { listWorkspaces, ROOT } from '../source/workspaceSources.cjs';
import type { SourceFile, Workspace } from './checkImports';

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP = new Set(['node_modules', 'dist', '.next', '.cache', '.data', '.git', 'coverage', 'tools']);
/** Written by graphql-codegen, not by us. */
const GENERATED = ['web/src/gql/'];

export function readRepository(): { workspaces: Workspace[]; files: SourceFile[] } {
  const packages: Array<{ dir: string; pkg: PackageJson }> = [
    { dir: '.', pkg: readJson('package.json') },
    ...listWorkspaces(),
  ];
  const workspaces = packages.map(({ dir, pkg }) => ({
    dir,
    name: String(pkg.name),
    dependencies: Object.keys(pkg.dependencies ?? {}),
    devDependencies: Object.keys(pkg.devDependencies ?? {}),
    exports: Object.keys(pkg.exports ?? {}),
  }));
  const files = walk('').map((file) => ({
    path: file,
    text: fs.readFileSync(path.join(ROOT, file), 'utf8'),
  }));
  return { workspaces, files };
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : walk(rel);
    if (!SOURCE.test(entry.name) || entry.name.endsWith('.d.ts')) return [];
    return GENERATED.some((g) => rel.startsWith(g)) ? [] : [rel];
  });
}

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

function readJson(file: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as PackageJson;
}
