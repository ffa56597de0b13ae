import type { GraphQLSchema } from 'graphql';
import type { ServiceContext } from '../startService';
import {
  type StartSubgraphServerOptions,
  type SubgraphServer,
  startSubgraphServer,
} from './startSubgraphServer';

/** The settings every subgraph reads for its HTTP server. */
export interface SubgraphServerSettings {
  PORT: number;
  HOST: string;
  INTERNAL_JWT_KEY: string;
}

/**
 * startSubgraphServer as every subgraph calls it at the end of its start-up: on its settings'
 * port, host and gateway key, logging to and stopped by the service's context.
 */
export function serveSubgraph(
  schema: GraphQLSchema,
  settings: SubgraphServerSettings,
  { logger, shutdown, readiness }: ServiceContext,
  more: { production?: boolean | undefined } & Pick<StartSubgraphServerOptions, 'routes'> = {},
): Promise<SubgraphServer> {
  // Only these two are read: a service passes its whole options object.
  const { production, routes } = more;
  return startSubgraphServer({
    schema,
    port: settings.PORT,
    host: settings.HOST,
    internalKey: settings.INTERNAL_JWT_KEY,
    logger,
    shutdown,
    readiness,
    ...(routes ? { routes } : {}),
    ...(production === undefined ? {} : { production }),
  });
}
