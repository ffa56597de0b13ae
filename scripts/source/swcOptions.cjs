// @ts-check
// How TypeScript is transpiled when it runs from source (jest, bench): swc with legacy decorators and
// their metadata, which type-graphql needs. Type-checking is tsc's job (`npm run typecheck`).
/** @type {import('@swc/core').Options} */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = { swcOptions };
