import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { loadSchemaSdl } from './schema/loadSchema';

// Absolute paths: the freshness test runs codegen from the repository root.
const src = (glob: string) => path.join(__dirname, 'src', glob);

/** Where the generated client code goes; the freshness test generates into a temp dir instead. */
export function codegenConfig(outDir = src('gql/')): CodegenConfig {
  return {
    schema: loadSchemaSdl(),
    documents: [src('**/*.{ts,tsx}'), `!${src('gql/**')}`, `!${src('e2e/**')}`, `!${src('**/*.test.ts')}`],
    ignoreNoDocuments: false,
    generates: {
      [outDir]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          enumsAsTypes: true,
          useTypeImports: true,
          scalars: { DateTime: 'string' },
          avoidOptionals: { field: true, inputValue: false },
        },
      },
    },
    silent: true,
  };
}

// CODEGEN_OUT: the freshness test generates into a temporary directory instead.
export default codegenConfig(process.env.CODEGEN_OUT || undefined);
