import { readFileSync } from 'node:fs';
import { runService } from '@ticketing/kit';
import { SUPERGRAPH_FILE } from './composeSupergraph';
import { createGateway } from './createGateway';
import { readGatewaySettings, subgraphUrlsFromEnv } from './settings';

runService('gateway', readGatewaySettings, (settings, logger) =>
  createGateway({
    settings,
    supergraphSdl: readFileSync(settings.SUPERGRAPH_PATH || SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: subgraphUrlsFromEnv(),
    logger,
  }),
);
