// One jest run for the whole repository: tests sit beside the code in every workspace's src/, and the
// cross-service ones in e2e/src. swc transpiles (scripts/source/swcOptions.cjs); `tsc -b` type-checks.
const { jestModuleNameMapper } = require('./scripts/source/workspaceSources.cjs');
const { swcOptions } = require('./scripts/source/swcOptions.cjs');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: [
    '<rootDir>/**/src/**/*.test.ts',
    '<rootDir>/scripts/**/*.test.ts',
    '<rootDir>/bench/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
  // Tools' copies of the repository (e.g. a mutation-testing sandbox) must not shadow the workspaces.
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/.data/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  // Workspaces import each other by package name; tests run their sources, never a build.
  moduleNameMapper: jestModuleNameMapper(),
  setupFiles: ['<rootDir>/scripts/source/jestEnvironment.cjs'],
  globalSetup: '<rootDir>/scripts/stack/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/scripts/stack/jest-global-teardown.mjs',
  testTimeout: 60_000,
  maxWorkers: 2,
};
