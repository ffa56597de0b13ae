import { serviceSdl } from '@ticketing/kit/graphql';
import { buildPaymentsSchema } from './schema';

/** This subgraph's SDL (schema.graphql), as it serves it. */
export const sdl = async (): Promise<string> => serviceSdl(await buildPaymentsSchema());
