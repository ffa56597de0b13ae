// The import rules between workspaces, as a pure function of the workspaces' package.json and their
// source files (readRepository gives it the real ones; the test also feeds it made-up violations).
import path from 'node:path';
import ts from 'typescript';

export interface Workspace {
  /** Folder relative to the repository root, e.g. `subgraphs/users`; `.` for the root package. */
  dir: string;
  name: string;
  dependencies: string[];
  devDependencies: string[];
  /** Keys of package.json "exports": `.`, `./graphql`, `./testing`… */
  exports: string[];
}

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  /** What the file imports (or the variable it reads). */
  specifier: string;
  rule: string;
}

/** Workspaces whose every file is test code: never built, never in an image. */
export const TEST_WORKSPACES = ['e2e', 'bench'];
/** What the gateway may depend on among the workspaces: it runs on these alone. */
export const GATEWAY_DEPENDS_ON = ['@ticketing/kit', '@ticketing/events'];
const SCOPE = '@ticketing/';

/** Tests, test helpers (`src/testing/`), test-only workspaces and the web's browser tests. */
export function isTestCode(file: string): boolean {
  return (
    /\.test\.tsx?$/.test(file) ||
    /(^|\/)src\/testing\//.test(file) ||
    file.startsWith('web/src/e2e/') ||
    TEST_WORKSPACES.some((dir) => file.startsWith(`${dir}/`))
  );
}

/** Every module a file names: import/export … from, import(), require() and import x = require(). */
export function importsOf(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map((f) => f.fileName);
}

export function checkImports(workspaces: Workspace[], files: SourceFile[]): Violation[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const nested = workspaces.filter((w) => w.dir !== '.');
  const owner = (file: string) =>
    nested.find((w) => file.startsWith(`${w.dir}/`)) ?? workspaces.find((w) => w.dir === '.');
  const violations: Violation[] = [];

  for (const file of files) {
    const from = owner(file.path);
    if (!from) continue;
    // The root package's scripts are tooling (this check among them): held to the rules on imports only.
    const test = isTestCode(file.path) || from.dir === '.';
    const report = (specifier: string, rule: string) => violations.push({ file: file.path, specifier, rule });

    if (!test && /\bJEST_WORKER_ID\b/.test(file.text)) {
      report('JEST_WORKER_ID', 'production code reads a test runner variable');
    }
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = path.posix.join(path.posix.dirname(file.path), specifier);
        if (owner(target) !== from) report(specifier, `a relative import leaves ${from.dir}`);
        else if (!test && [target, `${target}.ts`, `${target}/index.ts`].some(isTestCode)) {
          report(specifier, 'production code imports a test file or test helper');
        }
        continue;
      }
      if (!test && (specifier === 'jest' || specifier.startsWith('@jest/'))) {
        report(specifier, 'production code imports jest');
        continue;
      }
      if (!specifier.startsWith(SCOPE)) continue;
      const [pkg = specifier, sub] = splitScoped(specifier);
      const target = byName.get(pkg);
      if (!target) {
        report(specifier, 'no workspace has this name');
        continue;
      }
      if (target === from) {
        report(specifier, 'a workspace imports itself by name; use a relative path');
        continue;
      }
      if (sub !== undefined && /^(src|dist)(\/|$)/.test(sub)) {
        report(
          specifier,
          `reaches into ${pkg}'s ${sub.split('/')[0]}/; import its entry point or a declared subpath`,
        );
        continue;
      }
      if (!target.exports.includes(sub === undefined ? '.' : `./${sub}`)) {
        report(specifier, `not in ${pkg}'s package.json "exports"`);
      }
      if (!test && sub === 'testing') report(specifier, 'production code imports a testing subpath');
      const declared = test ? [...from.dependencies, ...from.devDependencies] : from.dependencies;
      if (!declared.includes(pkg)) {
        report(specifier, `${pkg} is not in ${from.dir}/package.json ${test ? '(dev)' : ''}dependencies`);
      }
    }
  }

  const gateway = byName.get('@ticketing/gateway');
  for (const dep of gateway ? [...gateway.dependencies, ...gateway.devDependencies] : []) {
    if (dep.startsWith(SCOPE) && !GATEWAY_DEPENDS_ON.includes(dep)) {
      violations.push({
        file: 'gateway/package.json',
        specifier: dep,
        rule: `the gateway depends only on ${GATEWAY_DEPENDS_ON.join(' and ')}`,
      });
    }
  }
  return violations;
}

/** `@ticketing/kit/graphql` → [`@ticketing/kit`, `graphql`]; `@ticketing/kit` → [`@ticketing/kit`]. */
function splitScoped(specifier: string): [string, string?] {
  const [scope, name, ...rest] = specifier.split('/');
  return rest.length ? [`${scope}/${name}`, rest.join('/')] : [`${scope}/${name}`];
}
