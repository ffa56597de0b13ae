// What other workspaces may use of the gateway (the test stack in e2e, bench): the gateway as a
// library, its settings, the composed supergraph, its keep-alive subgraph fetcher and the cost of an
// operation (bench/limits).
export type { RoverConfig, RoverSubgraph } from './composeSupergraph';
export { composeSupergraph, readRoverConfig, SUPERGRAPH_FILE } from './composeSupergraph';
export type { Gateway, GatewayOptions } from './createGateway';
export { createGateway } from './createGateway';
export type { HttpFetcher, HttpFetcherOptions } from './httpFetcher';
export { createHttpFetcher } from './httpFetcher';
export { CostModel } from './limits/CostModel';
export type { OperationMeasure } from './limits/measureOperation';
export { measureOperation, measureQuery } from './limits/measureOperation';
export type { PublicReadsStats } from './publicReads/PublicReads';
export type { GatewaySettings } from './settings';
export { readGatewaySettings } from './settings';
