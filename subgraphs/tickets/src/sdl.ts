import { execute, parse } from 'graphql';
import { buildTicketsSchema } from './schema';

/** The subgraph's SDL as `_service { sdl }` serves it: what schema.graphql holds and rover composes. */
export async function sdl(): Promise<string> {
  const result = await execute({
    schema: await buildTicketsSchema(),
    document: parse('{ _service { sdl } }'),
  });
  const data = result.data as { _service?: { sdl?: string } } | null | undefined;
  if (!data?._service?.sdl) throw new Error(`no SDL: ${JSON.stringify(result.errors)}`);
  return `${data._service.sdl}\n`;
}
