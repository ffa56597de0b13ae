import type { Identity } from '@ticketing/kit/graphql';
import type { Response } from 'express';

/** The per-request context of the gateway (HTTP; subscriptions will build the same at connect). */
export interface GatewayContext {
  identity: Identity | null;
  clientAddress?: string;
  /** The express response, for Set-Cookie; absent for subscriptions. */
  res?: Response;
  /** The signed identity for subgraphs, made once per request. */
  identityToken?: string;
}
