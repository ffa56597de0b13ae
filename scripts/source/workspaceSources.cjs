// @ts-check
// Where each `@ticketing/*` import lives in source. A workspace's "exports" are the only ways in: "."
// is src/index.ts and a subpath "./x" is src/x/index.ts. Built services resolve them to dist/ through
// node_modules; jest (moduleNameMapper), the require hook that runs bench from source (register.cjs)
// and tsconfig.test.json's "paths" (checked by scripts/architecture) resolve them to src/ instead.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** @typedef {{ dir: string, pkg: { name: string, exports?: Record<string, unknown>, [key: string]: unknown } }} Workspace */

/** Every npm workspace of the repository, with its package.json. @returns {Workspace[]} */
function listWorkspaces() {
  /** @type {string[]} */
  const patterns = readJson('package.json').workspaces ?? [];
  return patterns
    .flatMap((pattern) => (pattern.endsWith('/*') ? childDirs(pattern.slice(0, -2)) : [pattern]))
    .filter((dir) => fs.existsSync(path.join(ROOT, dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(path.join(dir, 'package.json')) }));
}

/**
 * Every importable specifier (`@ticketing/kit`, `@ticketing/kit/graphql`…) and its source file,
 * relative to the repository root. @returns {Map<string, string>}
 */
function sourceEntries() {
  const entries = new Map();
  for (const { dir, pkg } of listWorkspaces()) {
    for (const key of Object.keys(pkg.exports ?? {})) {
      const sub = key === '.' ? '' : key.replace(/^\.\//, '');
      entries.set(sub ? `${pkg.name}/${sub}` : pkg.name, path.posix.join(dir, 'src', sub, 'index.ts'));
    }
  }
  return entries;
}

/** jest's moduleNameMapper for sourceEntries(). @returns {Record<string, string>} */
function jestModuleNameMapper() {
  const mapper = /** @type {Record<string, string>} */ ({});
  for (const [specifier, file] of sourceEntries()) {
    mapper[`^${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`] = `<rootDir>/${file}`;
  }
  return mapper;
}

/** @param {string} parent */
function childDirs(parent) {
  const abs = path.join(ROOT, parent);
  return fs.existsSync(abs) ? fs.readdirSync(abs).map((d) => path.posix.join(parent, d)) : [];
}

/** @param {string} file relative to the root */
function readJson(file) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

module.exports = { ROOT, jestModuleNameMapper, listWorkspaces, sourceEntries };
