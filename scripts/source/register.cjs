// @ts-check
// Runs TypeScript from source in plain node, the way jest does (used by bench, whose scripts import
// the test stack, which is never built): `node -r ../scripts/source/register.cjs src/purchase.ts`.
// `.ts` files are transpiled by swc with jest's options, and `@ticketing/*` resolves to the sources
// jest maps it to. A child started with fork() inherits this through process.execArgv.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const { ROOT, sourceEntries } = require('./workspaceSources.cjs');
const { swcOptions } = require('./swcOptions.cjs');

const sources = new Map([...sourceEntries()].map(([specifier, file]) => [specifier, path.join(ROOT, file)]));

/** @type {(request: string, ...rest: unknown[]) => string} */
// @ts-expect-error Module._resolveFilename is internal to node and not in its types.
const resolveFilename = Module._resolveFilename;
// @ts-expect-error see above
Module._resolveFilename = function resolveFromSource(request, ...rest) {
  return resolveFilename.call(this, sources.get(request) ?? request, ...rest);
};

/**
 * Transpiles a .ts file and runs it as the module being required.
 * @param {NodeJS.Module} module
 * @param {string} filename
 */
function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    ...swcOptions,
    filename,
    sourceMaps: 'inline',
  });
  // Module#_compile is internal to node (not in its types): it is what require runs a file with.
  const internal = /** @type {{ _compile(code: string, filename: string): void }} */ (
    /** @type {unknown} */ (module)
  );
  internal._compile(code, filename);
}

// require.extensions is deprecated, and still how a synchronous require hook is installed.
require.extensions['.ts'] = compileTypeScript;
