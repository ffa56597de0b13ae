import type { ServerResponse } from 'node:http';
import type { Identity } from '@ticketing/kit/auth';

/** The per-request context of the gateway (HTTP; subscriptions will build the same at connect). */
export interface GatewayContext {
  identity: Identity | null;
  clientAddress?: string;
  /** The HTTP response, for Set-Cookie; absent for subscriptions. */
  res?: ServerResponse;
  /** The cost of a client's HTTP operation as admitted (HttpAdmission); absent for internal runs. */
  cost?: number;
  /** Aborted at the request's deadline or when its client goes away: subgraph calls stop. */
  signal?: AbortSignal;
  /** When the request's deadline passes (epoch ms): safe subgraph calls are retried only before it. */
  deadline?: number;
  /** The signed identity for subgraphs, made once per request. */
  identityToken?: string;
}
