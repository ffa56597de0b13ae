// @ts-check
// The npm workspaces of the repository, and which of them are services (have a `start` script).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** @typedef {{ name: string, dir: string, scripts: Record<string, string> }} Workspace */

/** @returns {Workspace[]} */
export function listWorkspaces() {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  /** @type {string[]} */
  const patterns = root.workspaces ?? [];
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    const abs = path.join(ROOT, parent);
    if (!fs.existsSync(abs)) return [];
    return fs.readdirSync(abs).map((d) => path.join(parent, d));
  });
  return dirs
    .filter((dir) => fs.existsSync(path.join(ROOT, dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
      return { name: pkg.name, dir, scripts: pkg.scripts ?? {} };
    });
}

/** Workspaces that run as a process under `npm start`, in start order (subgraphs before the gateway). */
export function listServices() {
  const order = ['subgraphs/', 'workers/', 'gateway', 'web'];
  const rank = (/** @type {Workspace} */ w) => {
    const i = order.findIndex((p) => w.dir.startsWith(p));
    return i === -1 ? order.length : i;
  };
  return listWorkspaces()
    .filter((w) => w.scripts.start)
    .sort((a, b) => rank(a) - rank(b));
}
