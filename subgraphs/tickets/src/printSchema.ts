// `npm run schema`: writes this subgraph's SDL to subgraphs/tickets/schema.graphql (rover.yaml points at it).
import path from 'node:path';
import { writeSchemaFile } from '@ticketing/kit/graphql';
import { sdl } from './sdl';

writeSchemaFile(sdl, path.join(__dirname, '..', 'schema.graphql'));
