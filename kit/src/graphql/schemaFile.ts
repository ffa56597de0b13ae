import { writeFileSync } from 'node:fs';
import { execute, type GraphQLSchema, parse } from 'graphql';

/** A subgraph's SDL as `_service { sdl }` serves it: what its schema.graphql holds and rover composes. */
export async function serviceSdl(schema: GraphQLSchema): Promise<string> {
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const data = result.data as { _service?: { sdl?: string } } | null | undefined;
  if (!data?._service?.sdl) throw new Error(`no SDL: ${JSON.stringify(result.errors)}`);
  return `${data._service.sdl}\n`;
}

/** The body of each subgraph's `npm run schema`: writes its SDL to `file`, or exits non-zero. */
export function writeSchemaFile(sdl: () => Promise<string>, file: string): void {
  sdl().then(
    (text) => {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${file}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
