import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT, sourceEntries } from '../source/workspaceSources.cjs';
import { checkImports, importsOf, isTestCode, type Workspace } from './checkImports';
import { readRepository } from './readRepository';

// Workspaces use each other only through package entry points and declared subpath exports, as
// their package.json says; nothing built or shipped contains a test or a test helper.

const repository = readRepository();
const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

test('no file imports a path it must not', () => {
  expect(checkImports(repository.workspaces, repository.files)).toEqual([]);
});

test('the check reads the real sources (it would pass vacuously on none)', () => {
  const paths = repository.files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['gateway/src/main.ts', 'e2e/src/startTestStack.ts']));
  const crossing = repository.files.flatMap(importsOf).filter((s) => s.startsWith('@ticketing/'));
  expect(crossing.length).toBeGreaterThan(50);
  expect(repository.workspaces.map((w) => w.name)).toEqual(
    expect.arrayContaining(['@ticketing/gateway', '@ticketing/e2e', '@ticketing/kit']),
  );
});

describe('given made-up violations, the check reports each', () => {
  const workspace = (dir: string, name: string, more: Partial<Workspace> = {}): Workspace => ({
    dir,
    name,
    dependencies: [],
    devDependencies: [],
    exports: ['.'],
    ...more,
  });
  const workspaces = [
    workspace('.', 'ticketing'),
    workspace('kit', '@ticketing/kit', { exports: ['.', './testing'] }),
    workspace('subgraphs/users', '@ticketing/users', {
      dependencies: ['@ticketing/kit'],
      devDependencies: ['@ticketing/tickets'],
    }),
    workspace('subgraphs/tickets', '@ticketing/tickets'),
    workspace('gateway', '@ticketing/gateway', { dependencies: ['@ticketing/kit'] }),
  ];
  const check = (file: string, text: string) =>
    checkImports(workspaces, [{ path: file, text }]).map((v) => `${v.specifier}: ${v.rule}`);

  test.each([
    [
      'a relative import out of the workspace',
      'subgraphs/users/src/a.ts',
      "import { x } from '../../tickets/src/x';",
    ],
    ['another workspace’s src/', 'subgraphs/users/src/a.ts', "import { x } from '@ticketing/kit/src/x';"],
    ['another workspace’s dist/', 'subgraphs/users/src/a.ts', "const x = require('@ticketing/kit/dist/x');"],
    ['a subpath not in "exports"', 'subgraphs/users/src/a.ts', "export { x } from '@ticketing/kit/graphql';"],
    ['an undeclared workspace', 'subgraphs/users/src/a.test.ts', "import '@ticketing/gateway';"],
    ['a devDependency from production code', 'subgraphs/users/src/a.ts', "import '@ticketing/tickets';"],
    [
      'a testing subpath from production code',
      'subgraphs/users/src/a.ts',
      "import '@ticketing/kit/testing';",
    ],
    ['a test helper from production code', 'subgraphs/users/src/a.ts', "import { h } from './testing';"],
    ['a test file from production code', 'subgraphs/users/src/a.ts', "import { h } from './b.test';"],
    ['jest from production code', 'subgraphs/users/src/a.ts', "import { expect } from '@jest/globals';"],
    ['a test runner variable in production', 'kit/src/log.ts', 'const quiet = process.env.JEST_WORKER_ID;'],
  ])('%s', (_what, file, text) => {
    expect(check(file, text)).toHaveLength(1);
  });

  test('while test code may use devDependencies and testing subpaths', () => {
    expect(
      check('subgraphs/users/src/a.test.ts', "import '@ticketing/tickets'; import '@ticketing/kit/testing';"),
    ).toEqual([]);
  });

  test('and a gateway that depends on a subgraph', () => {
    const gateway = workspace('gateway', '@ticketing/gateway', { devDependencies: ['@ticketing/users'] });
    expect(checkImports([...workspaces.filter((w) => w.dir !== 'gateway'), gateway], [])).toEqual([
      expect.objectContaining({ specifier: '@ticketing/users', file: 'gateway/package.json' }),
    ]);
  });
});

test('every declared entry point and subpath has its source (src/index.ts, src/<subpath>/index.ts)', () => {
  for (const file of sourceEntries().values()) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
});

test("tsconfig.test.json resolves @ticketing/* to the same sources as jest and bench's require hook", () => {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.test.json'), ts.sys.readFile).config as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const expected = Object.fromEntries(
    [...sourceEntries()].map(([specifier, file]) => [specifier, [`./${file}`]]),
  );
  expect(config.compilerOptions.paths).toEqual(expected);
});

// What `tsc -b` compiles for each workspace that is built: no test and no test helper goes into dist/.
const built = repository.workspaces.filter((w) => fs.existsSync(path.join(ROOT, w.dir, 'tsconfig.json')));
test.each(built.filter((w) => w.dir !== '.' && w.dir !== 'web').map((w) => [w.dir, w] as const))(
  '%s builds no test file or test helper',
  (dir) => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, dir, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    const files = (parsed?.fileNames ?? []).map(rel);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => isTestCode(f))).toEqual([]);
    expect(parsed?.options.types).not.toContain('jest');
  },
);
