// One jest run for the whole repository: tests sit beside the code in every workspace's src/.
// swc transpiles (with decorator metadata, which type-graphql needs); `tsc -b` type-checks.
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
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@ticketing/(kit|events)$': '<rootDir>/$1/src/index.ts',
    '^@ticketing/kit/(.*)$': '<rootDir>/kit/src/$1/index.ts',
    '^@ticketing/(users|tickets|orders|payments)$': '<rootDir>/subgraphs/$1/src/index.ts',
    '^@ticketing/(expiration)$': '<rootDir>/workers/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/scripts/stack/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/scripts/stack/jest-global-teardown.mjs',
  testTimeout: 60_000,
  maxWorkers: 2,
};
