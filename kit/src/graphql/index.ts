export type { ExactAmount } from './amountOfInput';
export { amountOfInput } from './amountOfInput';
export { BatchLoader } from './BatchLoader';
export { batchedReference } from './batchedReference';
export type { BuildFederatedSchemaOptions } from './buildFederatedSchema';
export { buildFederatedSchema, FEDERATION_SPEC_URL } from './buildFederatedSchema';
export type { ClaimOrReplay, MaybeIdempotentCall } from './claimOrReplay';
export { claimOrReplay } from './claimOrReplay';
export type { FieldProblem } from './errors';
export {
  accountBanned,
  appError,
  badUserInput,
  conflict,
  ErrorCode,
  FieldProblemCode,
  forbidden,
  idempotencyKeyReused,
  notFound,
  rateLimited,
  serviceBusy,
  serviceUnavailable,
  unauthenticated,
} from './errors';
export type { FormatErrorOptions } from './formatError';
export { createFormatError } from './formatError';
export type { GraphQLRequestListenerOptions } from './graphqlRequestListener';
export { graphqlRequestListener, pathnameOf, sendJson, sendText } from './graphqlRequestListener';
export type { Claim, IdempotencyKeysOptions, IdempotencyRecord, IdempotentCall } from './IdempotencyKeys';
export { IDEMPOTENCY_RETENTION_MS, IdempotencyKeys, registerIdempotencyRecords } from './IdempotencyKeys';
export {
  IDEMPOTENCY_KEY_DESCRIPTION,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKeyOf,
} from './idempotencyKey';
export { instanceContainer } from './instanceContainer';
export { CurrencyCodeEnum, Money, MoneyInput, toMoney } from './Money';
export type { RawRoute } from './rawRouter';
export { serviceSdl, writeSchemaFile } from './schemaFile';
export { servedByGateway } from './servedByGateway';
export type { SubgraphServerSettings } from './serveSubgraph';
export { serveSubgraph } from './serveSubgraph';
export type { StartSubgraphServerOptions, SubgraphContext, SubgraphServer } from './startSubgraphServer';
export { startSubgraphServer } from './startSubgraphServer';
export { isUnavailableError, unavailableStatusPlugin } from './unavailable';
